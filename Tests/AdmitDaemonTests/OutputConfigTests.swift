import AdmitDaemon
import AdmitDevices
import Foundation
import Testing

@Suite struct OutputConfigTests {
    static let exampleFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("etc/admit/admit.toml").path

    @Test func theShippedExampleParsesWithEveryOutput() throws {
        let config = try AdmitConfig.load(path: Self.exampleFile)
        let outputs = config.outputs
        #expect(outputs.relay?.address == GPIOLineAddress(chip: "gpiochip0", line: .offset(17), activeLow: true))
        #expect(outputs.relay?.milliseconds == 800)
        #expect(outputs.green?.milliseconds == 1500)
        #expect(outputs.red?.address.line == .offset(22))
        #expect(outputs.buzzer?.line == .offset(23))
        #expect(outputs.deniedPattern == [100, 100, 100])
        #expect(outputs.ledName == "ACT")
        #expect(outputs.passage?.edge == .falling)
        #expect(outputs.passage?.timeoutSeconds == 10)
        #expect(config.metrics.httpPort == 9464)
    }

    @Test func linesByNameAndChipsByLabel() throws {
        let config = try AdmitConfig.parse("""
            [gate]
            name = "g"
            [output.relay]
            chip = "pinctrl-bcm2711"
            line = "GPIO17"
            """)
        #expect(config.outputs.relay?.address == GPIOLineAddress(chip: "pinctrl-bcm2711", line: .name("GPIO17")))
        #expect(config.outputs.relay?.milliseconds == 800)
        #expect(config.outputs.green == nil)
    }

    @Test(arguments: [
        ("[output.relay]\nline = true", "output.relay.line", 4),
        ("[output.relay]\nline = 17\npulse = 800", "output.relay.pulse", 5),
        ("[output.relay]\nline = 17\npulse_ms = 5", "output.relay.pulse_ms", 5),
        ("[output.buzzer]\nline = 1\npattern_denied = [100, -1]", "output.buzzer.pattern_denied", 5),
        ("[output.led]\nsysfs = \"/sys/class/leds/ACT\"", "output.led.sysfs", 4),
        ("[input.passage]\nline = 3\nedge = \"up\"", "input.passage.edge", 5),
        ("[output.lamp]\nline = 3", "output.lamp", 3),
    ])
    func mistakesNameTheKeyAndLine(text: String, key: String, line: Int) {
        do {
            _ = try AdmitConfig.parse("[gate]\nname = \"g\"\n" + text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.key == key)
            #expect(error.line == line, "\(error)")
        }
    }
}
