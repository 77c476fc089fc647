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

    /// One byte every 50 ms for up to 2.8 s, each waiting for the server to speak: the line
    /// timeout runs from the line's first byte, so the server speaks while bytes are still
    /// coming (a timeout restarted by every byte would wait for the trickle to stop).
    @Test func aLineThatTricklesInForeverIsCutOff() throws {
        let rig = try Rig()
        let connection = try RawControlConnection(path: rig.path)
        let bytes = Array("{\"cmd\":\"status\"".utf8) + [UInt8](repeating: 32, count: 40)
        var sent = 0
        for byte in bytes {
            if (try? connection.send([byte])) == nil { break }
            sent += 1
            if connection.answers(within: 0.05) { break }
        }
        #expect(sent < bytes.count, "the server said nothing while the line trickled in")
        let answer = connection.readLine()
        #expect(answer?.contains("request line not finished within 0.5 s") == true, "\(answer ?? "nothing")")
        #expect(connection.isClosedByPeer())
    }

    @Test func anEndlessLineWithoutNewlineIsRefusedThenCutOff() throws {
        let rig = try Rig()
        let connection = try RawControlConnection(path: rig.path)
        for _ in 0..<10 { try connection.send([UInt8](repeating: 65, count: 16_384)) }
        #expect(connection.readLine()?.contains("request longer than") == true)
        #expect(connection.readLine()?.contains("not finished within") == true)
        #expect(connection.isClosedByPeer())
    }

    /// Idle past the line timeout: a half line sent on a connection opened after this one is
    /// cut off first, so the timeout has run out for both.
    @Test func anIdleConnectionIsNotCutOff() throws {
        let rig = try Rig()
        let connection = try RawControlConnection(path: rig.path)
        let later = try RawControlConnection(path: rig.path)
        try later.send("{\"cmd\"")
        #expect(later.readLine()?.contains("not finished within 0.5 s") == true)
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
