import AdmitDevices
import Foundation
import Testing

/// The LED against a folder shaped like /sys/class/leds/NAME.
@Suite struct SysfsLEDTests {
    func makeLED(trigger: String = "none [mmc0] timer heartbeat", max: String = "255") throws -> String {
        let root = NSTemporaryDirectory() + "admit-leds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/ACT", withIntermediateDirectories: true)
        try trigger.write(toFile: root + "/ACT/trigger", atomically: false, encoding: .utf8)
        try max.write(toFile: root + "/ACT/max_brightness", atomically: false, encoding: .utf8)
        try "0".write(toFile: root + "/ACT/brightness", atomically: false, encoding: .utf8)
        return root
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func takesTheLEDOverAndGivesItBack() throws {
        let root = try makeLED()
        do {
            let led = try SysfsLED(name: "ACT", root: root)
            #expect(try read(root + "/ACT/trigger") == "none")
            try led.drive(true)
            #expect(try read(root + "/ACT/brightness") == "255")
            try led.drive(false)
            #expect(try read(root + "/ACT/brightness") == "0")
            try led.drive(true)
        }
        #expect(try read(root + "/ACT/brightness") == "0")
        #expect(try read(root + "/ACT/trigger") == "mmc0")
    }

    @Test func aMissingLEDNamesItsPath() {
        #expect(throws: LineError.self) { try SysfsLED(name: "nope", root: "/nonexistent") }
        do {
            _ = try SysfsLED(name: "nope", root: "/nonexistent")
        } catch {
            #expect(error.description.contains("/nonexistent/nope"))
        }
    }
}

@Suite struct GPIOLineTests {
    @Test func anUnknownChipSaysWhatToLookAt() {
        do {
            _ = try GPIOOutputLine(GPIOLineAddress(chip: "no-such-chip", line: .offset(17)), devices: NSTemporaryDirectory())
            Issue.record("a missing chip was opened")
        } catch {
            #expect(error.description.contains("no-such-chip"))
            #expect(error.description.contains("gpiodetect"))
        }
    }

    /// On a gpio-sim chip (the VM harness sets ADMIT_GPIO_SIM_CHIP to its label or name):
    /// request, drive, read back, and release by closing.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ADMIT_GPIO_SIM_CHIP"] != nil))
    func drivesARealLine() throws {
        let chip = ProcessInfo.processInfo.environment["ADMIT_GPIO_SIM_CHIP"]!
        let line = try GPIOOutputLine(GPIOLineAddress(chip: chip, line: .offset(0), activeLow: true))
        #expect(try line.read() == false)
        try line.drive(true)
        #expect(try line.read() == true)
        // The same line cannot be requested twice while held.
        #expect(throws: LineError.self) { try GPIOOutputLine(GPIOLineAddress(chip: chip, line: .offset(0))) }
    }
}
