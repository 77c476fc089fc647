/// Who may use the control socket, decided from the peer's credentials (`SO_PEERCRED`):
/// the listed users whatever their groups, and members of the listed groups (by primary or
/// supplementary group). The socket's mode 0660 already keeps others out; this holds even
/// when a folder's or the socket's permissions are wider than they should be.
public struct ControlAccess: Sendable, Equatable {
    /// Users admitted whatever their groups; nil means root and the daemon's own user.
    public var users: [UInt32]?
    /// Groups whose members are admitted; nil means the group of the socket file
    /// (`admit` under the packaged unit).
    public var groups: [UInt32]?

    /// The rule; nil keeps a default.
    public init(users: [UInt32]? = nil, groups: [UInt32]? = nil) {
        self.users = users
        self.groups = groups
    }

    /// The credentials of a connected peer.
    public struct Peer: Sendable, Equatable {
        /// Process id.
        public var pid: Int32
        /// User id.
        public var uid: UInt32
        /// Primary group id.
        public var gid: UInt32

        /// A peer from its credentials.
        public init(pid: Int32, uid: UInt32, gid: UInt32) {
            self.pid = pid
            self.uid = uid
            self.gid = gid
        }
    }

    /// The users and groups in force, with the defaults filled in.
    public func resolved(ownUser: UInt32, socketGroup: UInt32) -> (users: Set<UInt32>, groups: Set<UInt32>) {
        (Set(users ?? [0, ownUser]), Set(groups ?? [socketGroup]))
    }

    /// True when `peer` may use the socket. `supplementaryGroups` is asked only when the
    /// user and the primary group are not enough (it reads `/proc` or the group database).
    public func admits(
        _ peer: Peer, ownUser: UInt32, socketGroup: UInt32, supplementaryGroups: () -> [UInt32]
    ) -> Bool {
        let (users, groups) = resolved(ownUser: ownUser, socketGroup: socketGroup)
        if users.contains(peer.uid) || groups.contains(peer.gid) { return true }
        return supplementaryGroups().contains { groups.contains($0) }
    }

    /// The one line a refused peer reads, saying who is allowed and how to get there.
    /// `action` says what was refused, e.g. "scan over the control socket (operate role)".
    public func refusal(
        _ peer: Peer, ownUser: UInt32, socketGroup: UInt32, action: String = "use the control socket",
        groupName: (UInt32) -> String?
    ) -> String {
        let (users, groups) = resolved(ownUser: ownUser, socketGroup: socketGroup)
        let named = groups.sorted().map { gid in groupName(gid).map { "\($0) (\(gid))" } ?? "\(gid)" }
        var allowed: [String] = []
        if !users.isEmpty { allowed.append("uid " + users.sorted().map(String.init).joined(separator: ", ")) }
        if !named.isEmpty { allowed.append("members of group " + named.joined(separator: ", ")) }
        let fix = groups.sorted().first.flatMap(groupName).map { "; add the user to it: adduser USER \($0)" } ?? ""
        return "permission denied: uid \(peer.uid) may not \(action) "
            + "(allowed: \(allowed.isEmpty ? "nobody" : allowed.joined(separator: " and "))\(fix))"
    }

    /// The supplementary groups on the `Groups:` line of `/proc/<pid>/status`, or nil when
    /// the text has no such line.
    public static func groups(inProcStatus text: String) -> [UInt32]? {
        for line in text.split(separator: "\n") where line.hasPrefix("Groups:") {
            return line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) }
        }
        return nil
    }
}
