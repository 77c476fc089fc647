import AdmitCore
import AdmitDevices
import Logging

/// The gate's physical outputs built from `OutputConfig`: the GPIO lines and LED behind a
/// `SignalPlayer`, and the passage monitor. One rig per configuration: a reload builds a
/// new rig and stops the old one, which releases its lines.
public final class OutputRig: Sendable {
    /// The decision outputs to hand the gate loop (signals, passage), empty without GPIO.
    public let outputs: [any DecisionOutput]
    /// The player, when any line is configured.
    public let player: SignalPlayer?
    /// The passage monitor, when `[input.passage]` is configured.
    public let passage: PassageMonitor?

    /// Makes lines from `config` with `makeLine`/`makeInput` (GPIO and sysfs by default;
    /// tests pass recording lines). `onPassage(scanID, outcome)` hears what each visitor did.
    public init(
        config: OutputConfig, logger: Logger,
        makeLine: (SignalChannel, OutputConfig) throws(LineError) -> (any SignalLine)? = OutputRig.systemLine,
        makeInput: (OutputConfig.Passage) throws(LineError) -> any EdgeSource = OutputRig.systemInput,
        onPassage: @escaping @Sendable (String, PassageMonitor.Outcome) -> Void
    ) throws(LineError) {
        var lines: [SignalChannel: any SignalLine] = [:]
        for channel in SignalChannel.allCases {
            if let line = try makeLine(channel, config) { lines[channel] = line }
        }
        var outputs: [any DecisionOutput] = []
        if lines.isEmpty {
            player = nil
        } else {
            let player = SignalPlayer(lines: lines, timings: config.timings, logger: logger)
            outputs.append(SignalOutput(player: player))
            self.player = player
        }
        if let passageConfig = config.passage {
            let monitor = PassageMonitor(
                input: try makeInput(passageConfig), timeoutMilliseconds: UInt64(passageConfig.timeoutSeconds * 1000),
                stuckAfter: passageConfig.stuckAfter, logger: logger, report: onPassage)
            try monitor.start()
            outputs.append(PassageOutput(monitor: monitor))
            passage = monitor
        } else {
            passage = nil
        }
        self.outputs = outputs
    }

    /// Switches every line off and stops watching passages.
    public func stop() {
        player?.stop()
        passage?.stop()
    }

    /// A relay (or lamp) that refused to switch off and is being retried, for a red status.
    public var relayProblem: String? {
        guard let stuck = player?.offProblems().stuckOn, !stuck.isEmpty else { return nil }
        return "\(stuck.map(\.rawValue).joined(separator: ", ")) did not switch off (retrying): check the wiring and the gpio chip"
    }

    /// A passage sensor that went silent, for an amber status.
    public var passageProblem: String? { passage?.sensorProblem() }

    /// One line per channel, for `admitctl status`: `relay gpiochip0:17`.
    public var summary: [String] {
        var lines = (player?.channels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if let passage { lines.append("passage \(passage.label)") }
        return lines
    }

    /// The real line for a channel: a GPIO output, or the sysfs LED.
    public static func systemLine(_ channel: SignalChannel, _ config: OutputConfig) throws(LineError) -> (any SignalLine)? {
        let address: GPIOLineAddress?
        switch channel {
        case .relay: address = config.relay?.address
        case .green: address = config.green?.address
        case .red: address = config.red?.address
        case .buzzer: address = config.buzzer
        case .led: return try config.ledName.map { name throws(LineError) in try SysfsLED(name: name) }
        }
        return try address.map { address throws(LineError) in try GPIOOutputLine(address, consumer: "admitd-\(channel)") }
    }

    /// The real passage input: a GPIO line with edge detection.
    public static func systemInput(_ config: OutputConfig.Passage) throws(LineError) -> any EdgeSource {
        try GPIOEdgeInput(config.address, edge: config.edge, debounceMicroseconds: config.debounceMilliseconds * 1000)
    }
}
