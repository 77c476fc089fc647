import AdmitControl

/// `[control]`: who may use the control socket and what it may do.
///
///     [control]
///     read_groups = ["admit"]       # default: the group of the socket file
///     read_users = ["root"]         # default: root and the daemon's own user
///     operate_groups = ["admit-operators"]  # default: that group, when it exists
///     operate_users = ["root"]      # default: root and the daemon's own user
///     allow_scan = true             # `admitctl scan` over the socket
///     scan_rate_per_minute = 30     # socket scans a minute (and the burst); default: no limit
public struct ControlConfig: Sendable, Equatable {
    /// Who may look and who may act.
    public var roles: ControlRoles
    /// The peers the socket admits at all: the read role (`read_users`, `read_groups`).
    public var access: ControlAccess {
        get { roles.read }
        set { roles.read = newValue }
    }
    /// May `admitctl scan` decide barcodes over the control socket?
    public var allowScan: Bool
    /// Socket scans allowed a minute, on average and at once (`scan_rate_per_minute`); nil
    /// is no limit (the code's default, for tests; the packaged file should set 30).
    public var scanRatePerMinute: Int?

    /// The defaults: root, the daemon's user and the socket's group; scans allowed.
    public init(access: ControlAccess = ControlAccess(), allowScan: Bool = true) {
        self.roles = ControlRoles(read: access)
        self.allowScan = allowScan
    }

    init(_ top: inout ConfigSection) throws(ConfigError) {
        self.init()
        roles.operate.groups = top.environment.groupID("admit-operators").map { [$0] } ?? []
        guard var s = try top.table("control") else { return }
        let environment = s.environment
        for (key, old) in [("read_groups", "allowed_groups"), ("read_users", "allowed_users")] where s.has(old) && s.has(key) {
            throw s.error(old, "is the old name of \(key); write only \(key)")
        }
        // allowed_users / allowed_groups: the read role's old names, still read (deprecated).
        let readGroups = s.has("allowed_groups") ? "allowed_groups" : "read_groups"
        let readUsers = s.has("allowed_users") ? "allowed_users" : "read_users"
        roles.read.groups = try Self.ids(&s, readGroups, kind: "group", lookup: environment.groupID)
        roles.read.users = try Self.ids(&s, readUsers, kind: "user", lookup: environment.userID)
        if let groups = try Self.ids(&s, "operate_groups", kind: "group", lookup: environment.groupID) { roles.operate.groups = groups }
        roles.operate.users = try Self.ids(&s, "operate_users", kind: "user", lookup: environment.userID)
        allowScan = try s.bool("allow_scan") ?? true
        scanRatePerMinute = try s.integer("scan_rate_per_minute", in: 1...6000)
        try s.rejectUnknownKeys()
    }

    /// A list of names or numeric ids, each name looked up in the system's database.
    private static func ids(
        _ s: inout ConfigSection, _ key: String, kind: String, lookup: (String) -> UInt32?
    ) throws(ConfigError) -> [UInt32]? {
        guard let items = try s.namesOrNumbers(key, in: 0...Int(UInt32.max - 1)) else { return nil }
        var ids: [UInt32] = []
        for item in items {
            switch item {
            case .number(let n): ids.append(UInt32(n))
            case .name(let name):
                guard let id = lookup(name) else { throw s.error(key, "no \(kind) \"\(name)\" on this system") }
                ids.append(id)
            }
        }
        return ids
    }
}
