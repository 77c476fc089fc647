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

    @Test func aSupplementaryGroupCounts() throws {
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 1)))
        let n = Int(max(getgroups(count, &groups), 0))
        #expect(Set(UserDatabase.supplementaryGroups(pid: getpid(), uid: getuid())) == Set(groups.prefix(n)))
        guard let supplementary = groups.prefix(n).first(where: { $0 != getgid() }) else { return }  // none to test with
        let d = try TestDaemon { $0.control.access = ControlAccess(users: [], groups: [supplementary]) }
        #expect(try d.request(ControlRequest(cmd: "status")).contains("\"ok\":true"))
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
