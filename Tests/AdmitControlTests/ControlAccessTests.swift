import AdmitControl
import Testing

/// Who may use the control socket, decided from SO_PEERCRED credentials.
@Suite struct ControlAccessTests {
    let ownUser: UInt32 = 998, socketGroup: UInt32 = 990

    private func admits(_ rule: ControlAccess, uid: UInt32, gid: UInt32, groups: [UInt32] = []) -> Bool {
        rule.admits(ControlAccess.Peer(pid: 42, uid: uid, gid: gid), ownUser: ownUser, socketGroup: socketGroup) { groups }
    }

    @Test func byDefaultRootTheDaemonsUserAndTheSocketsGroup() {
        let rule = ControlAccess()
        #expect(admits(rule, uid: 0, gid: 0))
        #expect(admits(rule, uid: ownUser, gid: 5))
        #expect(admits(rule, uid: 1000, gid: socketGroup), "primary group")
        #expect(admits(rule, uid: 1000, gid: 1000, groups: [27, socketGroup]), "supplementary group")
        #expect(!admits(rule, uid: 1000, gid: 1000, groups: [27, 100]))
    }

    @Test func configuredUsersAndGroupsReplaceTheDefaults() {
        let rule = ControlAccess(users: [], groups: [50])
        #expect(!admits(rule, uid: 0, gid: 0), "root is refused when the list leaves it out")
        #expect(!admits(rule, uid: ownUser, gid: socketGroup))
        #expect(admits(rule, uid: 1000, gid: 1000, groups: [50]))
        #expect(admits(ControlAccess(users: [1000], groups: []), uid: 1000, gid: 1000))
    }

    @Test func supplementaryGroupsAreAskedOnlyWhenNeeded() {
        var asked = false
        _ = ControlAccess().admits(ControlAccess.Peer(pid: 1, uid: 0, gid: 0), ownUser: ownUser, socketGroup: socketGroup) {
            asked = true
            return []
        }
        #expect(!asked)
    }

    @Test func theRefusalSaysWhoIsAllowedAndHowToGetIn() {
        let text = ControlAccess().refusal(
            ControlAccess.Peer(pid: 42, uid: 1000, gid: 1000), ownUser: ownUser, socketGroup: socketGroup
        ) { $0 == 990 ? "admit" : nil }
        #expect(text.hasPrefix("permission denied: uid 1000 may not use the control socket"))
        #expect(text.contains("uid 0, 998"))
        #expect(text.contains("members of group admit (990)"))
        #expect(text.contains("adduser USER admit"))
    }

    @Test func readsTheGroupsLineOfProcStatus() {
        let status = "Name:\tadmitctl\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nGroups:\t4 24 27 990 \nNgid:\t0\n"
        #expect(ControlAccess.groups(inProcStatus: status) == [4, 24, 27, 990])
        #expect(ControlAccess.groups(inProcStatus: "Groups:\t\n") == [])
        #expect(ControlAccess.groups(inProcStatus: "Name:\tx\n") == nil)
    }
}
