@testable import AdmitDevices
import AdmitCore
import Foundation
import Testing

extension DeviceSuites {
    @Suite(.serialized) struct SerialScannerTests {
        private func makeScanner(path: String, terminator: SerialTerminator = .cr, logs: LogRecorder) -> SerialScanner {
            var configuration = SerialScanner.Configuration(
                name: "serial", path: path, baud: 9600,
                framer: SerialFramer.Configuration(terminator: terminator, interByteTimeoutMilliseconds: 100),
                direction: .out)
            configuration.reopenIntervalMilliseconds = 20
            return SerialScanner(configuration: configuration, logger: logs.logger)
        }

        @Test func framesArriveOverARealPtyInSplitWritesWithGarbage() throws {
            let pty = try Pseudoterminal()
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(path: pty.devicePath, logs: logs)
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            #expect(scanner.status().first?.state == "reading")

            // Two writes; whether they reach the scanner in one read or two is the kernel's
            // choice (split reads are scripted exactly in AdmitCoreTests' serial.keys).
            try pty.send("TICK")
            try pty.send("ET-1\r")
            try pty.send([0x00, 0xFF] + Array("TICKET-2\r".utf8))
            try pty.send("TICK\u{0}ET-3\rTICKET-4\r")
            #expect(reads.wait(for: 3))
            #expect(reads.texts == ["TICKET-1", "TICKET-2", "TICKET-4"])
            #expect(reads.all.allSatisfy { $0.direction == .out && $0.source == "serial" })
            let status = try #require(scanner.status().first)
            #expect(status.reads == 3)
            #expect(status.discarded == 3)
            #expect(status.lastRead == "TICKET-4")
        }

        @Test func aPartialFrameIsDroppedAfterTheGap() throws {
            let pty = try Pseudoterminal()
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(path: pty.devicePath, logs: logs)
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            try pty.send("HALF")
            #expect(waitUntil { scanner.status().first?.discarded == 1 })
            try pty.send("WHOLE\r")
            #expect(reads.wait(for: 1))
            #expect(reads.texts == ["WHOLE"])
            #expect(logs.messages().contains { $0.contains("\"HALF\"") && $0.contains("timeout") })
        }

        @Test func aVanishedTtyIsReopenedWhenItReturnsWithoutLeakingDescriptors() throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("admit-serial-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let link = folder.appendingPathComponent("scanner").path
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(path: link, logs: logs)
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            #expect(scanner.status().first?.state == "waiting for device")
            let before = settledDescriptorCount()

            for round in 1...5 {
                let pty = try Pseudoterminal()
                try? FileManager.default.removeItem(atPath: link)
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: pty.devicePath)
                #expect(waitUntil { scanner.status().first?.state == "reading" }, "round \(round): not re-opened")
                try pty.send("ROUND-\(round)\r")
                #expect(reads.wait(for: round))
                pty.unplug()
                #expect(waitUntil { scanner.status().first?.state == "waiting for device" }, "round \(round): not closed")
            }
            #expect(reads.texts == (1...5).map { "ROUND-\($0)" })
            #expect(waitUntil { openDescriptorCount() == before }, "descriptors before \(before), after \(openDescriptorCount())")
            #expect(logs.messages().filter { $0.contains("opened") }.count == 5)
        }

        @Test func aFileThatIsNotATtyIsRefusedWithItsName() throws {
            let logs = LogRecorder()
            let scanner = makeScanner(path: "/dev/null", logs: logs)
            try scanner.start(deliver: DeliveryRecorder().deliver)
            defer { scanner.stop() }
            let state = try #require(scanner.status().first?.state)
            #expect(state.contains("/dev/null") && state.contains("not a serial port"))
        }
    }
}
