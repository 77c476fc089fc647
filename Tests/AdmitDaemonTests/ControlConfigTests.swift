import AdmitDaemon
import Testing

/// `[control]`: who may use the control socket and whether it may scan.
@Suite struct ControlConfigTests {
    /// Groups and users as a test system knows them.
    static let environment = ConfigEnvironment(
        credentialsDirectory: nil, readFile: { _, _ in .failure(.init("not here")) },
        groupID: { ["admit": 990, "staff": 50][$0] }, userID: { ["root": 0, "steward": 1001][$0] })

    private func parse(_ control: String) throws(ConfigError) -> AdmitConfig {
        try AdmitConfig.parse("[gate]\nname = \"g\"\n\n[control]\n" + control, file: "admit.toml", environment: Self.environment)
    }

    @Test func defaultsAdmitRootTheDaemonAndTheSocketsGroupAndAllowScans() throws {
        let config = try AdmitConfig.parse("[gate]\nname = \"g\"\n")
        #expect(config.control.access == ControlAccess(users: nil, groups: nil))
        #expect(config.control.allowScan)
    }

    @Test func namesAndNumbersAreResolved() throws {
        let config = try parse("allowed_groups = [\"admit\", 50, 7]\nallowed_users = [\"steward\", 0]\nallow_scan = false\n")
        #expect(config.control.access.groups == [990, 50, 7])
        #expect(config.control.access.users == [1001, 0])
        #expect(!config.control.allowScan)
    }

    @Test(arguments: [
        ("allowed_groups = [\"nosuch\"]\n", "control.allowed_groups", 5, "no group \"nosuch\" on this system"),
        ("allowed_users = [\"nobody-here\"]\n", "control.allowed_users", 5, "no user \"nobody-here\""),
        ("allowed_groups = \"admit\"\n", "control.allowed_groups", 5, "must be a list of names or numbers"),
        ("allowed_groups = [-1]\n", "control.allowed_groups", 5, "must be a list of names or numbers"),
        ("allow_scan = \"no\"\n", "control.allow_scan", 5, "must be true or false"),
        ("\nallow_scans = false\n", "control.allow_scans", 6, "unknown key in [control]"),
    ])
    func problemsNameTheKeyAndLine(text: String, key: String, line: Int, message: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.key == key)
            #expect(error.line == line)
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func theOldGateKeySaysWhereItWent() {
        do {
            _ = try AdmitConfig.parse("[gate]\nname = \"g\"\nsocket_scan = false\n", file: "admit.toml")
            Issue.record("accepted gate.socket_scan")
        } catch {
            #expect(error.description == "admit.toml:3: gate.socket_scan: moved: write allow_scan in a [control] table")
        }
    }

    @Test func theExampleConfigurationReads() throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let config = try AdmitConfig.parse(String(contentsOfFile: root + "/etc/admit/admit.toml", encoding: .utf8))
        #expect(!config.control.allowScan, "socket scans are off in the packaged config")
    }
}

/// `[control]` roles: read and operate, with `allowed_*` still read as the read role.
@Suite struct ControlRoleConfigTests {
    static let environment = ConfigEnvironment(
        credentialsDirectory: nil, readFile: { _, _ in .failure(.init("not here")) },
        groupID: { ["admit": 990, "staff": 50, "admit-operators": 991][$0] }, userID: { ["root": 0, "steward": 1001][$0] })

    @Test func rolesAreReadAndOperatorsDefaultToTheirGroup() throws {
        let none = try AdmitConfig.parse("[gate]\nname = \"g\"\n", environment: Self.environment)
        #expect(none.control.roles == ControlRoles(read: ControlAccess(), operate: ControlAccess(groups: [991])))
        let set = try AdmitConfig.parse("""
            [gate]
            name = "g"
            [control]
            read_groups = ["staff"]
            operate_users = ["steward"]
            operate_groups = []
            """, environment: Self.environment)
        #expect(set.control.roles == ControlRoles(read: ControlAccess(groups: [50]), operate: ControlAccess(users: [1001], groups: [])))
        let old = try AdmitConfig.parse("[gate]\nname = \"g\"\n[control]\nallowed_groups = [\"staff\"]\nallowed_users = [\"root\"]\n", environment: Self.environment)
        #expect(old.control.roles.read == ControlAccess(users: [0], groups: [50]), "the old names are the read role")
        #expect(throws: ConfigError.self) {
            try AdmitConfig.parse("[gate]\nname = \"g\"\n[control]\nallowed_groups = []\nread_groups = []\n", environment: Self.environment)
        }
    }
}
