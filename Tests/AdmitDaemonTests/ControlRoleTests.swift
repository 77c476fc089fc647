import AdmitControl
import AdmitDaemon
import Foundation
import Testing

/// The control socket's two roles: a peer with only `read` looks but does not act, and
/// the refusal names the role needed (issue 15, item 1).
@Suite struct ControlRoleTests {
    @Test func aReaderMayLookButNotScanSyncFlushOrReload() throws {
        let outsider = groupNotMine()
        let d = try TestDaemon {
            $0.control.roles = ControlRoles(
                read: ControlAccess(users: [], groups: [getgid()]), operate: ControlAccess(users: [], groups: [outsider]))
        }
        for command in ["status", "recent", "devices", "events"] {
            #expect(!(try d.request(ControlRequest(cmd: command)).contains("permission denied")), "\(command)")
        }
        for command in ["scan", "sync", "flush", "reload"] {
            let answer = try d.request(ControlRequest(cmd: command, barcode: d.samples.valid[0]))
            #expect(answer.contains("permission denied: uid \(getuid()) may not \(command): that needs the operate role"), "\(answer)")
            #expect(answer.contains("\(outsider)"), "names who may: \(answer)")
        }
        let status = try ControlJSON.decode(StatusReport.self, from: Array(try d.request(ControlRequest(cmd: "status")).utf8))
        #expect(status.granted == 0, "the refused scan decided nothing")
    }

    /// admitctl under setpriv with the operators' group added may scan; without it, not.
    @Test func anOperatorsGroupMemberMayScan() throws {
        let operators = groupNotMine()
        let d = try TestDaemon {
            $0.control.roles = ControlRoles(
                read: ControlAccess(users: [], groups: [getgid()]), operate: ControlAccess(users: [], groups: [operators]))
        }
        let member = try ControlPermissionTests.admitctl(socket: d.socket, setpriv: ["--groups", "\(operators)"], "scan", d.samples.valid[0])
        #expect(member.output.contains("GRANTED"), "\(member.output)")
        let reader = try ControlPermissionTests.admitctl(socket: d.socket, setpriv: ["--clear-groups"], "scan", d.samples.valid[1])
        #expect(reader.status != 0 && reader.output.contains("operate role"), "\(reader.output)")
    }

    @Test func commandsNeedTheirRole() {
        #expect(["status", "recent", "devices", "events", "metrics"].allSatisfy { ControlRole.needed(for: $0) == .read })
        #expect(["scan", "sync", "flush", "reload", "anything-new"].allSatisfy { ControlRole.needed(for: $0) == .operate })
    }
}
