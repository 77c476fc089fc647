import AdmitDaemon
import Foundation
import Testing

/// The control socket admits only its allowed users and group members (SO_PEERCRED), on a
/// real Unix socket: refused peers read one error line, the connection is closed, and the
/// refusal is logged with the peer's uid and pid.
@Suite struct ControlPermissionTests {
    @Test func aPeerOutsideTheAllowedGroupsIsRefused() throws {
        let log = LogRecorder()
        let outsider = groupNotMine()
        let d = try TestDaemon(logger: log.logger) { $0.control.access = ControlAccess(users: [], groups: [outsider]) }
        let connection = try RawControlConnection(path: d.socket)
        try? connection.send("{\"cmd\":\"status\"}\n")
        let answer = try #require(connection.readLine())
        let error = try ControlJSON.decode(ErrorResponse.self, from: Array(answer.utf8))
        #expect(!error.ok)
        #expect(error.error.hasPrefix("permission denied: uid \(getuid()) may not use the control socket"), "\(error.error)")
        #expect(error.error.contains("\(outsider)"))
        #expect(connection.isClosedByPeer())
        #expect(log.messages.contains { $0.contains("refused") && $0.contains("uid \(getuid())") && $0.contains("pid \(getpid())") },
                "\(log.messages)")
        // admitctl's client reads the same line.
        let viaClient = String(decoding: try d.client.send(ControlRequest(cmd: "status")), as: UTF8.self)
        #expect(viaClient.contains("permission denied"))
    }

    @Test func rootAndTheDaemonsOwnUserAreRefusedWhenTheListLeavesThemOut() throws {
        let d = try TestDaemon { $0.control.access = ControlAccess(users: [], groups: []) }
        #expect(try d.request(ControlRequest(cmd: "status")).contains("permission denied"))
    }

    @Test func aMemberOfAnAllowedGroupIsServed() throws {
        let d = try TestDaemon { $0.control.access = ControlAccess(users: [], groups: [getgid()]) }
        #expect(try d.request(ControlRequest(cmd: "status")).contains("\"ok\":true"))
    }

    /// admitctl run by setpriv with one supplementary group added, its uid and primary group
    /// left as they are (both outside the list): the group is its only way in. The same
    /// client without the group is the control.
    @Test func aSupplementaryGroupCounts() throws {
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 1)))
        let n = Int(max(getgroups(count, &groups), 0))
        #expect(Set(UserDatabase.supplementaryGroups(pid: getpid(), uid: getuid())) == Set(groups.prefix(n)))

        let supplementary = groupNotMine()
        #expect(!UserDatabase.groupsOfUser(getuid()).contains(supplementary), "the group database must not let the client in")
        let d = try TestDaemon { $0.control.access = ControlAccess(users: [], groups: [supplementary]) }
        let member = try Self.admitctl(socket: d.socket, setpriv: ["--groups", "\(supplementary)"], "status")
        #expect(member.status == 0 && !member.output.contains("permission denied"), "\(member.output)")
        let outsider = try Self.admitctl(socket: d.socket, setpriv: ["--clear-groups"], "status")
        #expect(outsider.status == 1 && outsider.output.contains("permission denied"), "\(outsider.output)")
    }

    /// Runs the admitctl built next to this test bundle under `setpriv` (util-linux).
    static func admitctl(socket: String, setpriv options: [String], _ arguments: String...) throws -> (status: Int32, output: String) {
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = options + ["--", (exe as NSString).deletingLastPathComponent + "/admitctl", "--socket", socket] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func byDefaultTheDaemonsOwnUserIsServed() throws {
        let d = try TestDaemon()
        #expect(try d.request(ControlRequest(cmd: "status")).contains("\"ok\":true"))
    }

    @Test func scanCanBeDisabledAndAdmitctlSaysSo() throws {
        let d = try TestDaemon { $0.control.allowScan = false }
        let answer = try ControlJSON.decode(ErrorResponse.self, from: Array(try d.request(ControlRequest(cmd: "scan", barcode: d.samples.valid[0])).utf8))
        #expect(answer.error == "scan over the control socket is disabled ([control] allow_scan = false)")
        #expect(try d.request(ControlRequest(cmd: "status")).contains("\"granted\":0"), "nothing was decided")
    }
}
