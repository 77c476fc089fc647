import AdmitDevices

/// `[output.*]` and `[input.passage]`: the turnstile relay, lamps, buzzer, LED and the
/// passage sensor. Every part is optional; a kiosk without GPIO only has the console.
public struct OutputConfig: Sendable, Equatable {
    /// A GPIO output and how long it stays on.
    public struct Line: Sendable, Equatable {
        /// Chip and line, with polarity.
        public var address: GPIOLineAddress
        /// Milliseconds on (relay pulse, lamp time).
        public var milliseconds: UInt64
    }

    /// `[input.passage]`: the turnstile's rotation contact.
    public struct Passage: Sendable, Equatable {
        /// Chip and line, with polarity.
        public var address: GPIOLineAddress
        /// Which edge means "someone passed".
        public var edge: GPIOEdge
        /// Seconds a GRANTED visitor has to pass before the ticket is given back.
        public var timeoutSeconds: Double
        /// Kernel debounce of the contact, in milliseconds.
        public var debounceMilliseconds: UInt32
        /// `stuck_after`: this many GRANTED in a row without a passage make the sensor
        /// suspect: an alarm, and no more tickets given back until it reports again.
        public var stuckAfter = 5
    }

    /// `[output.relay]`: the turnstile release; `pulse_ms`.
    public var relay: Line?
    /// `[output.green]`: the green lamp; `on_ms`.
    public var green: Line?
    /// `[output.red]`: the red lamp; `on_ms`.
    public var red: Line?
    /// `[output.buzzer]`: the buzzer, sounding `pattern_denied` on a DENIED.
    public var buzzer: GPIOLineAddress?
    /// On, off, on… milliseconds of the buzzer on a DENIED.
    public var deniedPattern: [UInt64] = [100, 100, 100]
    /// `[output.led] sysfs`: an LED under /sys/class/leds that mirrors the lamps.
    public var ledName: String?
    /// `[input.passage]`, when the turnstile reports passages.
    public var passage: Passage?

    /// No outputs but the console.
    public init() {}

    /// True when nothing but the console is configured.
    public var isEmpty: Bool { relay == nil && green == nil && red == nil && buzzer == nil && ledName == nil && passage == nil }

    /// The timings the signal sequencer runs with.
    public var timings: SignalTimings {
        SignalTimings(
            relayPulse: relay?.milliseconds ?? 800, greenOn: green?.milliseconds ?? 1500,
            redOn: red?.milliseconds ?? 1500, deniedPattern: deniedPattern)
    }

    /// Reads `[output]` and `[input]` from the top of the file.
    init(_ top: inout ConfigSection) throws(ConfigError) {
        if var output = try top.table("output") {
            if var s = try output.table("relay") {
                relay = Line(address: try Self.address(&s), milliseconds: UInt64(try s.integer("pulse_ms", in: 50...10_000) ?? 800))
                try s.rejectUnknownKeys()
            }
            if var s = try output.table("green") {
                green = Line(address: try Self.address(&s), milliseconds: UInt64(try s.integer("on_ms", in: 0...60_000) ?? 1500))
                try s.rejectUnknownKeys()
            }
            if var s = try output.table("red") {
                red = Line(address: try Self.address(&s), milliseconds: UInt64(try s.integer("on_ms", in: 0...60_000) ?? 1500))
                try s.rejectUnknownKeys()
            }
            if var s = try output.table("buzzer") {
                buzzer = try Self.address(&s)
                if let pattern = try s.integers("pattern_denied", in: 0...10_000) {
                    guard pattern.count <= 32 else { throw s.error("pattern_denied", "has more than 32 steps") }
                    deniedPattern = pattern.map { UInt64($0) }
                }
                try s.rejectUnknownKeys()
            }
            if var s = try output.table("led") {
                let name = try s.requiredString("sysfs")
                guard !name.contains("/") else { throw s.error("sysfs", "is an LED name under /sys/class/leds, like \"ACT\"") }
                ledName = name
                try s.rejectUnknownKeys()
            }
            try output.rejectUnknownKeys()
        }
        if var input = try top.table("input") {
            if var s = try input.table("passage") {
                passage = Passage(
                    address: try Self.address(&s), edge: try s.choice("edge", as: GPIOEdge.self) ?? .falling,
                    timeoutSeconds: try s.number("passage_timeout_s", in: 1...600) ?? 10,
                    debounceMilliseconds: UInt32(try s.integer("debounce_ms", in: 0...1000) ?? 5),
                    stuckAfter: try s.integer("stuck_after", in: 1...1000) ?? 5)
                try s.rejectUnknownKeys()
            }
            try input.rejectUnknownKeys()
        }
    }

    /// `chip`, `line` (offset or name) and `active_low` of a GPIO table.
    private static func address(_ s: inout ConfigSection) throws(ConfigError) -> GPIOLineAddress {
        let chip = try s.string("chip", default: "gpiochip0")
        let line: GPIOLineAddress.Line
        switch s.values["line"] {
        case .integer: line = .offset(UInt32(try s.integer("line", in: 0...1023)!))
        case .string: line = .name(try s.requiredString("line"))
        case nil: throw s.error("line", "is required: an offset (17) or a line name (\"GPIO17\")")
        default: throw s.error("line", "must be an offset (17) or a line name (\"GPIO17\")")
        }
        return GPIOLineAddress(chip: chip, line: line, activeLow: try s.bool("active_low") ?? false)
    }
}
