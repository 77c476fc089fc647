import AdmitCore
import AdmitDaemon
import AdmitDevices
import Testing

@Suite struct DeviceScannerConfigTests {
    @Test func evdevAndSerialSectionsAreRead() throws {
        let config = try AdmitConfig.parse("""
            [gate]
            name = "north-1"

            [[scanner]]
            kind = "evdev"
            name = "front"
            match = { vendor = "0c2e", product = "0b61" }
            keymap = "de"
            direction = "out"
            timeout_ms = 150
            max_length = 64
            aim = true
            symbologies = "E0, Q1"

            [[scanner]]
            kind = "evdev"
            match = { name = "*Honeywell*" }

            [[scanner]]
            kind = "serial"
            path = "/dev/ttyACM0"
            baud = 115200
            terminator = "etx"
            """)
        #expect(config.scanners.map(\.kind) == [.evdev, .evdev, .serial])
        guard case .evdev(let front) = config.scanners[0].device else { Issue.record("not evdev"); return }
        #expect(front.name == "front")
        #expect(front.match == DeviceMatch(vendor: 0x0c2e, product: 0x0b61))
        #expect(front.decoder.keymap.name == "de")
        #expect(front.decoder.interKeyTimeoutMilliseconds == 150)
        #expect(front.decoder.framing == BarcodeFraming(aim: true, allowedSymbologies: ["E0", "Q1"], maxLength: 64))
        #expect(front.direction == .out)
        guard case .evdev(let second) = config.scanners[1].device else { Issue.record("not evdev"); return }
        #expect(second.name == "evdev-1" && second.match.name == "*Honeywell*" && second.decoder.keymap.name == "us")
        guard case .serial(let serial) = config.scanners[2].device else { Issue.record("not serial"); return }
        #expect(serial.path == "/dev/ttyACM0" && serial.baud == 115200 && serial.framer.terminator == .etx)
    }

    @Test(arguments: [
        ("keymap = \"dvorak\"", "scanner[0].keymap"),
        ("match = { vendr = \"0c2e\" }", "scanner[0].match.vendr"),
        ("match = { vendor = \"xyz\" }", "scanner[0].match.vendor"),
        ("terminator = \"newline\"", "scanner[0].terminator"),
        ("symbologies = \"E0\"", "scanner[0].symbologies"),
    ])
    func mistakesNameTheirKeyAndLine(_ line: String, _ key: String) {
        #expect {
            _ = try AdmitConfig.parse("[gate]\nname = \"g\"\n[[scanner]]\nkind = \"evdev\"\n\(line)\n")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.key == key && (error.line == 5 || key.contains(".match."))
        }
    }

    /// Without a criterion an evdev scanner would grab every keyboard of the box.
    @Test func anEvdevScannerWithNothingToMatchByIsRefused() {
        for section in ["kind = \"evdev\"", "kind = \"evdev\"\nmatch = {}"] {
            #expect {
                _ = try AdmitConfig.parse("[gate]\nname = \"g\"\n[[scanner]]\n\(section)\n", file: "admit.toml")
            } throws: { error in
                guard let error = error as? ConfigError else { return false }
                return error.key == "scanner[0].match" && "\(error)".contains("is required")
            }
        }
    }

    @Test func aSerialNumberIsAStableMatch() throws {
        let config = try AdmitConfig.parse("[gate]\nname = \"g\"\n[[scanner]]\nkind = \"evdev\"\nmatch = { serial = \"21345B0723\" }\n")
        guard case .evdev(let scanner) = config.scanners[0].device else { Issue.record("not evdev"); return }
        #expect(scanner.match == DeviceMatch(serial: "21345B0723"))
        let twin = InputDeviceIdentity(node: "/dev/input/event3", name: "Honeywell 1900", vendor: 0x0c2e, product: 0x0b61, serial: "21345B0724")
        var mine = twin
        mine.serial = "21345B0723"
        #expect(scanner.match.matches(mine) && !scanner.match.matches(twin), "two scanners of one model differ by serial")
    }

    @Test func aSerialScannerNeedsAPathAndASupportedSpeed() {
        #expect(throws: ConfigError.self) { try AdmitConfig.parse("[gate]\nname = \"g\"\n[[scanner]]\nkind = \"serial\"\n") }
        #expect(throws: ConfigError.self) {
            try AdmitConfig.parse("[gate]\nname = \"g\"\n[[scanner]]\nkind = \"serial\"\npath = \"/dev/ttyS0\"\nbaud = 1234\n")
        }
    }
}
