import AdmitDaemon
import Foundation
import Logging
import Testing

/// What one peer can make the control socket hold: oversized lines, lines that never end,
/// requests piled up ahead of their answers, too many connections. Real Unix sockets.
@Suite struct ControlLimitTests {
    /// A server answering `{"ok":true,"message":"<cmd>"}` with short limits.
    final class Rig {
        let directory = NSTemporaryDirectory() + "admit-ctl-\(UUID().uuidString.prefix(8))"
        let server: ControlServer
        var path: String { server.path }

        init(_ configure: (inout ControlServer.Limits) -> Void = { _ in }) throws {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var limits = ControlServer.Limits()
            limits.lineTimeoutSeconds = 0.5
            configure(&limits)
            server = try ControlServer(path: directory + "/control.sock", limits: limits, logger: Logger(label: "test")) {
                request, _, reply in reply(ControlJSON.encode(DoneResponse(message: request.cmd)))
            }
        }

        deinit {
            server.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    @Test func anOversizedLineGetsAnErrorAndTheNextLineIsServed() throws {
        let rig = try Rig()
        let connection = try RawControlConnection(path: rig.path)
        try connection.send([UInt8](repeating: 120, count: 200_000) + Array("\n{\"cmd\":\"status\"}\n".utf8))
        #expect(connection.readLine()?.contains("request longer than 65536 bytes") == true)
        #expect(connection.readLine() == #"{"message":"status","ok":true}"#)
    }

    @Test func aLineThatTricklesInForeverIsCutOff() throws {
        let rig = try Rig()
        let connection = try RawControlConnection(path: rig.path)
        let started = Date()
        var cutOff = false
        for byte in Array("{\"cmd\":\"status\"".utf8) + [UInt8](repeating: 32, count: 40) {
            if (try? connection.send([byte])) == nil { break }
            usleep(50_000)
            if Date().timeIntervalSince(started) > 0.8 { break }
        }
        let answer = connection.readLine()
        cutOff = answer?.contains("request line not finished within 0.5 s") == true
        #expect(cutOff, "\(answer ?? "nothing")")
        #expect(connection.isClosedByPeer())
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test func anEndlessLineWithoutNewlineIsRefusedThenCutOff() throws {
        let rig = try Rig()
        let connection = try RawControlConnection(path: rig.path)
        for _ in 0..<10 { try connection.send([UInt8](repeating: 65, count: 16_384)) }
        #expect(connection.readLine()?.contains("request longer than") == true)
        #expect(connection.readLine()?.contains("not finished within") == true)
        #expect(connection.isClosedByPeer())
    }

    @Test func anIdleConnectionIsNotCutOff() throws {
        let rig = try Rig()
        let connection = try RawControlConnection(path: rig.path)
        usleep(800_000)
        try connection.send("{\"cmd\":\"status\"}\n")
        #expect(connection.readLine() == #"{"message":"status","ok":true}"#)
    }

    @Test func requestsPiledUpAheadOfTheirAnswersEndTheConnection() throws {
        let rig = try Rig()
        let connection = try RawControlConnection(path: rig.path)
        try connection.send(String(repeating: "{\"cmd\":\"status\"}\n", count: 40))
        var lines: [String] = []
        while let line = connection.readLine() { lines.append(line) }
        #expect(lines.last?.contains("more than 16 requests waiting") == true, "\(lines)")
    }

    @Test func connectionsBeyondTheLimitAreRefused() throws {
        let rig = try Rig { $0.maximumConnections = 2 }
        let first = try RawControlConnection(path: rig.path), second = try RawControlConnection(path: rig.path)
        for connection in [first, second] {
            try connection.send("{\"cmd\":\"status\"}\n")
            #expect(connection.readLine()?.contains("\"ok\":true") == true)
        }
        let third = try RawControlConnection(path: rig.path)
        #expect(third.readLine()?.contains("too many control connections (2)") == true)
        #expect(third.isClosedByPeer())
    }
}
