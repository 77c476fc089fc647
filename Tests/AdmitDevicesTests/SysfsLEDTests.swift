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

    /// On a gpio-sim chip, in the VM (scenario 09-gpio-line sets ADMIT_GPIO_SIM_CHIP to the
    /// chip and ADMIT_GPIO_SIM_VALUE to line 0's `value` file in sysfs, where gpio-sim shows
    /// the level the line is driven to): request, drive, read back from the kernel's side,
    /// and release by closing. Elsewhere (no GPIO on the build machines) it is not run.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ADMIT_GPIO_SIM_CHIP"] != nil))
    func drivesARealLine() throws {
        let environment = ProcessInfo.processInfo.environment
        let chip = try #require(environment["ADMIT_GPIO_SIM_CHIP"])
        let level = try #require(environment["ADMIT_GPIO_SIM_VALUE"], "the scenario names line 0's sysfs value file")
        func physical() throws -> String { try String(contentsOfFile: level, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) }
        do {
            // Active low, as on most relay boards: inactive is a high level.
            let line = try GPIOOutputLine(GPIOLineAddress(chip: chip, line: .offset(0), activeLow: true))
            #expect(try line.read() == false)
            #expect(try physical() == "1")
            try line.drive(true)
            #expect(try line.read() == true)
            #expect(try physical() == "0")
            // The same line cannot be requested twice while held.
            #expect(throws: LineError.self) { try GPIOOutputLine(GPIOLineAddress(chip: chip, line: .offset(0))) }
            try line.drive(false)
            #expect(try physical() == "1")
        }
        // Released (the line object is gone): it can be requested again.
        let again = try GPIOOutputLine(GPIOLineAddress(chip: chip, line: .offset(0)))
        try again.drive(true)
        #expect(try physical() == "1")
    }
}
