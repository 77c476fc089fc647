@testable import AdmitDevices
import AdmitCore
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Opens recorded devices for the nodes a test declares; one fresh pipe per open (per plug).
final class RecordedDeviceShelf: Sendable {
    private let identities: [String: (InputDeviceIdentity, Bool)]
    private let opened = Mutex<[String: RecordedInputDevice]>([:])
    private let openCount = Mutex(0)
    private let failure: DeviceError?

    init(_ devices: [(InputDeviceIdentity, letters: Bool)], failure: DeviceError? = nil) {
        identities = Dictionary(uniqueKeysWithValues: devices.map { ($0.0.node, ($0.0, $0.letters)) })
        self.failure = failure
    }

    var opens: Int { openCount.withLock { $0 } }
    func forgetAll() { opened.withLock { $0 = [:] } }
    func device(_ node: String) -> RecordedInputDevice? { opened.withLock { $0[node] } }

    func open(_ node: DeviceNode) throws(DeviceError) -> any InputDevice {
        openCount.withLock { $0 += 1 }
        if let failure { throw failure }
        guard let (identity, letters) = identities[node.node] else { throw DeviceError("open", node.node, errno: ENOENT) }
        do {
            let device = try RecordedInputDevice(identity: identity, typesLetters: letters)
            opened.withLock { $0[node.node] = device }
            return device
        } catch let error as DeviceError {
            throw error
        } catch {
            throw DeviceError("open", node.node, errno: EIO)
        }
    }
}

let honeywell = InputDeviceIdentity(node: "/dev/input/event5", name: "Honeywell Imaging & Mobility 1900", vendor: 0x0c2e, product: 0x0b61)
let honeywellConsumer = InputDeviceIdentity(node: "/dev/input/event6", name: "Honeywell Imaging & Mobility 1900 Consumer Control", vendor: 0x0c2e, product: 0x0b61)
let laptopKeyboard = InputDeviceIdentity(node: "/dev/input/event0", name: "AT Translated Set 2 keyboard", vendor: 0x0001, product: 0x0001)

extension DeviceSuites {
    @Suite(.serialized) struct EvdevScannerTests {
        private func makeScanner(
            match: DeviceMatch, keymap: Keymap = .us, shelf: RecordedDeviceShelf, monitor: ScriptedHotplugMonitor,
            logs: LogRecorder, configure: (inout EvdevScanner.Configuration) -> Void = { _ in }
        ) -> EvdevScanner {
            var configuration = EvdevScanner.Configuration(
                name: "front", match: match, decoder: KeystrokeDecoder.Configuration(keymap: keymap), direction: .in)
            configure(&configuration)
            return EvdevScanner(configuration: configuration, logger: logs.logger, monitor: monitor) { node throws(DeviceError) in
                try shelf.open(node)
            }
        }

        private func node(_ identity: InputDeviceIdentity, udevKnowsIdentity: Bool = true) -> DeviceNode {
            DeviceNode(node: identity.node, links: ["/dev/input/by-id/usb-test-\(identity.node.suffix(6))"],
                       identity: udevKnowsIdentity ? identity : nil)
        }

        @Test func attachesTheMatchingKeyboardNodeGrabsItAndDecodes() throws {
            let shelf = RecordedDeviceShelf([(honeywell, true), (honeywellConsumer, false), (laptopKeyboard, true)])
            let monitor = ScriptedHotplugMonitor(present: [node(laptopKeyboard), node(honeywell), node(honeywellConsumer)])
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(match: DeviceMatch(vendor: 0x0c2e, product: 0x0b61), shelf: shelf, monitor: monitor, logs: logs)
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            scanner.settle()

            // The laptop keyboard is skipped on udev's word; the consumer-control node is opened but has no letters.
            #expect(shelf.opens == 2)
            let device = try #require(shelf.device(honeywell.node))
            #expect(device.isGrabbed)
            try device.play(recording(typing: "ABC-123\n"))
            #expect(reads.wait(for: 1))
            #expect(reads.all.first?.barcode.text == "ABC-123")
            #expect(reads.all.first?.source == "front:event5")
            #expect(reads.all.first?.direction == .in)
            let status = try #require(scanner.status().first)
            #expect(status.state == "reading" && status.reads == 1 && status.lastRead == "ABC-123")
            #expect(status.device?.contains("0c2e:0b61") == true)
        }

        @Test func aGermanScannerIsDecodedWithItsOwnKeymap() throws {
            let shelf = RecordedDeviceShelf([(honeywell, true)])
            let monitor = ScriptedHotplugMonitor(present: [node(honeywell)])
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(match: DeviceMatch(name: "*honeywell*"), keymap: .de, shelf: shelf, monitor: monitor, logs: logs)
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            scanner.settle()
            try #require(shelf.device(honeywell.node)).play(recording(typing: "Zürich-42?\n", keymap: .de))
            #expect(reads.wait(for: 1))
            #expect(reads.texts == ["Zürich-42?"])
        }

        @Test func aVirtualDeviceWithoutUdevIdsMatchesOnItsEvdevName() throws {
            let shelf = RecordedDeviceShelf([(honeywell, true)])
            let monitor = ScriptedHotplugMonitor()
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(match: DeviceMatch(name: "*Imaging*"), shelf: shelf, monitor: monitor, logs: logs)
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            monitor.send(.added(node(honeywell, udevKnowsIdentity: false)))
            scanner.settle()
            try #require(shelf.device(honeywell.node)).play(recording(typing: "UINPUT1\n"))
            #expect(reads.wait(for: 1))
            #expect(reads.texts == ["UINPUT1"])
        }

        @Test func severalScannersAtOnceEachWithItsOwnSourceName() throws {
            let second = InputDeviceIdentity(node: "/dev/input/event9", name: "Honeywell Imaging & Mobility 1900", vendor: 0x0c2e, product: 0x0b61)
            let shelf = RecordedDeviceShelf([(honeywell, true), (second, true)])
            let monitor = ScriptedHotplugMonitor(present: [node(honeywell), node(second)])
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(match: DeviceMatch(vendor: 0x0c2e), shelf: shelf, monitor: monitor, logs: logs)
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            scanner.settle()
            try #require(shelf.device(honeywell.node)).play(recording(typing: "LEFT\n"))
            try #require(shelf.device(second.node)).play(recording(typing: "RIGHT\n"))
            #expect(reads.wait(for: 2))
            let bySource = Dictionary(uniqueKeysWithValues: reads.all.map { ($0.source, $0.barcode.text) })
            #expect(bySource == ["front:event5": "LEFT", "front:event9": "RIGHT"])
            #expect(scanner.status().map(\.name) == ["front:event5", "front:event9"])
        }

        @Test func unplugAndReplugAHundredTimesLeaksNothingAndLogsEachAttachOnce() throws {
            let shelf = RecordedDeviceShelf([(honeywell, true)])
            let monitor = ScriptedHotplugMonitor()
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(match: DeviceMatch(path: "/dev/input/by-id/usb-test-event5"), shelf: shelf, monitor: monitor, logs: logs)
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            scanner.settle()
            let before = settledDescriptorCount()

            for round in 1...100 {
                monitor.send(.added(node(honeywell)))
                scanner.settle()
                let device = try #require(shelf.device(honeywell.node))
                #expect(device.isGrabbed)
                try device.play(recording(typing: "R\(round)\n"))
                #expect(reads.wait(for: round), "round \(round)")
                // Half the time the read side notices first (end of file), half the time udev does.
                if round.isMultiple(of: 2) {
                    device.unplug()
                    #expect(waitUntil { scanner.status().first?.state == "waiting for device" })
                }
                monitor.send(.removed(node(honeywell)))
                scanner.settle()
                #expect(!device.isGrabbed)
                device.unplug()
            }
            scanner.settle()
            shelf.forgetAll()
            // A leak would be one descriptor (or more) per re-plug: 100 here. Other suites
            // running in parallel open and close sockets in this process meanwhile, so a few
            // of theirs may be counted too.
            #expect(waitUntil { openDescriptorCount() <= before + 8 }, "descriptors before \(before), after \(openDescriptorCount())")
            #expect(reads.texts == (1...100).map { "R\($0)" })
            #expect(reads.all.allSatisfy { $0.source == "front" })
            #expect(logs.messages().filter { $0.contains("attached /dev/input/event5") }.count == 100)
            #expect(logs.messages().filter { $0.contains("detached /dev/input/event5") }.count == 100)
        }

        @Test func aFloodIsRateLimitedAndLoggedOnce() throws {
            let shelf = RecordedDeviceShelf([(honeywell, true)])
            let monitor = ScriptedHotplugMonitor(present: [node(honeywell)])
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(match: DeviceMatch(vendor: 0x0c2e), shelf: shelf, monitor: monitor, logs: logs)
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            scanner.settle()
            // A scanner stuck re-reading: 400 barcodes within about 1.6 s.
            let device = try #require(shelf.device(honeywell.node))
            try device.play(recording(typing: String(repeating: "X\n", count: 400)))
            #expect(waitUntil { scanner.status().first?.floods ?? 0 >= 1 })
            // A barcode 5 s later on the device's clock, when the flood is long over: once it
            // is delivered, every read of the flood before it has been handled.
            try device.play(recording(typing: "CALM\n"), after: 5)
            #expect(waitUntil(seconds: 10) { reads.texts.last == "CALM" }, "\(reads.texts.suffix(3))")
            let flood = reads.all.count - 1
            #expect(flood <= 10 + 2 * 20, "delivered \(flood)")
            #expect(flood >= 10)
            #expect(logs.messages(at: .warning).filter { $0.contains("barcodes a second") }.count == 1)
        }

        @Test func aStuckKeyOrNoiseBurstIsCutOffAndTheNextBarcodeStillReads() throws {
            let shelf = RecordedDeviceShelf([(honeywell, true)])
            let monitor = ScriptedHotplugMonitor(present: [node(honeywell)])
            let logs = LogRecorder(), reads = DeliveryRecorder()
            let scanner = makeScanner(match: DeviceMatch(vendor: 0x0c2e), shelf: shelf, monitor: monitor, logs: logs) {
                $0.eventsPerSecond = 1000
            }
            try scanner.start(deliver: reads.deliver)
            defer { scanner.stop() }
            scanner.settle()
            let device = try #require(shelf.device(honeywell.node))
            let burst = (0..<5000).map { "E: 0.000000 0001 001e \($0 == 0 ? 1 : 2)" }.joined(separator: "\n")
            try device.play(burst + "\nE: 0.000000 0001 001e 0")
            #expect(waitUntil { scanner.status().first?.floods == 1 })
            #expect(logs.messages(at: .warning).filter { $0.contains("key events a second") }.count == 1)
            // 1.1 s later on the device's clock: the bucket has refilled.
            try device.play(recording(typing: "AFTER\n"), after: 1.1)
            #expect(reads.wait(for: 1))
            #expect(reads.texts == ["AFTER"])
        }

        @Test func permissionDeniedNamesTheDeviceAndTheFixOnce() throws {
            let shelf = RecordedDeviceShelf([(honeywell, true)], failure: DeviceError("open", honeywell.node, errno: EACCES))
            let monitor = ScriptedHotplugMonitor(present: [node(honeywell)])
            let logs = LogRecorder()
            let scanner = makeScanner(match: DeviceMatch(vendor: 0x0c2e), shelf: shelf, monitor: monitor, logs: logs)
            try scanner.start(deliver: DeliveryRecorder().deliver)
            defer { scanner.stop() }
            for _ in 1...3 { monitor.send(.added(node(honeywell))) }
            scanner.settle()
            let errors = logs.messages(at: .error)
            #expect(errors.count == 1)
            #expect(errors.first?.contains("/dev/input/event5") == true)
            #expect(errors.first?.contains("group 'input'") == true)
            #expect(errors.first?.contains("70-admit.rules") == true)
            #expect(scanner.status().first?.device?.contains("Permission denied") == true)
        }

        @Test func theRealEvdevWrapperRefusesANonInputDeviceByName() {
            #expect {
                _ = try EvdevDevice(node: "/dev/null")
            } throws: { error in
                "\(error)".contains("/dev/null")
            }
        }

        /// libudev's enumeration against the kernel's own list (sysfs): the input nodes the
        /// scanner would attach (none on a host without input devices), and the memory
        /// devices every Linux has, so an enumeration that finds nothing cannot pass.
        @Test func theRealUdevMonitorStartsAndEnumerates() throws {
            let monitor = UdevMonitor(subsystem: "input")
            do {
                try monitor.start(queue: DispatchQueue(label: "test.udev")) { _ in }
            } catch {
                // Containers may forbid netlink sockets; the error must still say what failed.
                #expect("\(error)".contains("udev"))
            }
            #expect(Set(try monitor.enumerate().map(\.node)) == kernelDeviceNodes(inClass: "input"))
            monitor.stop()

            let memory = try UdevMonitor(subsystem: "mem").enumerate()
            #expect(memory.contains { $0.node == "/dev/null" }, "\(memory.map(\.node))")
            #expect(Set(memory.map(\.node)) == kernelDeviceNodes(inClass: "mem"))
            #expect(memory.allSatisfy { $0.identity == nil }, "only input devices carry a name and ids")
        }

        /// `/dev/<DEVNAME>` of every device in `/sys/class/<name>` that has a node.
        private func kernelDeviceNodes(inClass name: String) -> Set<String> {
            let folder = "/sys/class/" + name
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return Set(entries.compactMap { entry -> String? in
                guard let uevent = try? String(contentsOfFile: "\(folder)/\(entry)/uevent", encoding: .utf8) else { return nil }
                let devname = uevent.split(separator: "\n").first { $0.hasPrefix("DEVNAME=") }
                return devname.map { "/dev/" + $0.dropFirst("DEVNAME=".count) }
            })
        }
    }
}
