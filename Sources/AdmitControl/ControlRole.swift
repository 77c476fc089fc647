/// What a control-socket peer may do. `read` looks (status, recent, devices, events,
/// metrics); `operate` acts on the gate (scan, sync, flush, reload, and every command not
/// named as a read) and includes `read`.
public enum ControlRole: String, Sendable, CaseIterable {
    /// Looking: answers that change nothing.
    case read
    /// Acting: decisions, syncs, uploads, reloads.
    case operate

    /// The role a command needs; a command not known as a read needs `operate`.
    public static func needed(for command: String) -> ControlRole {
        switch command {
        case "status", "recent", "devices", "events", "metrics": .read
        default: .operate
        }
    }
}

/// The two access rules of the control socket, one per role. A connection is served when
/// either admits its peer; each request then needs the rule of its role.
public struct ControlRoles: Sendable, Equatable {
    /// Who may look (`read_users`, `read_groups`; formerly `allowed_users`, `allowed_groups`).
    public var read: ControlAccess
    /// Who may act (`operate_users`, `operate_groups`). Its `groups` nil means none.
    public var operate: ControlAccess

    /// The rules; defaults: read = root, the daemon's user, the socket's group; operate =
    /// root and the daemon's user (the config adds group `admit-operators` when it exists).
    public init(read: ControlAccess = ControlAccess(), operate: ControlAccess = ControlAccess(groups: [])) {
        self.read = read
        self.operate = operate
    }


    /// The rule of `role`, with operate's `groups` nil read as none (not the socket's group).
    public func access(for role: ControlRole) -> ControlAccess {
        role == .read ? read : ControlAccess(users: operate.users, groups: operate.groups ?? [])
    }
}
