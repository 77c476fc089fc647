import AdmitCore

/// The things a gate switches to show a decision.
public enum SignalChannel: String, Sendable, CaseIterable, Comparable {
    case relay, green, red, buzzer, led

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What a decision should look like on the gate.
public enum SignalCue: Sendable, Equatable {
    /// A new GRANTED: relay pulse, green lamp, LED.
    case granted
    /// A new DENIED: red lamp, buzzer pattern (the LED blinks with it).
    case denied
    /// A repeat read of a GRANTED: the green lamp again, never the relay.
    case repeatGranted
    /// A repeat read of a DENIED: the red lamp again, no buzzer.
    case repeatDenied

    /// The cue for a decision.
    public init(_ decision: Decision) {
        switch (decision.isGranted, decision.isRepeat) {
        case (true, false): self = .granted
        case (false, false): self = .denied
        case (true, true): self = .repeatGranted
        case (false, true): self = .repeatDenied
        }
    }
}

/// How long things stay on, in milliseconds.
public struct SignalTimings: Sendable, Equatable {
    /// Relay pulse on a GRANTED (a tripod turnstile wants 200–1000 ms).
    public var relayPulse: UInt64
    /// Green lamp on a GRANTED.
    public var greenOn: UInt64
    /// Red lamp on a DENIED.
    public var redOn: UInt64
    /// Buzzer on a DENIED: on, off, on, off… durations.
    public var deniedPattern: [UInt64]

    /// Creates timings; the defaults suit a tripod turnstile.
    public init(relayPulse: UInt64 = 800, greenOn: UInt64 = 1500, redOn: UInt64 = 1500, deniedPattern: [UInt64] = [100, 100, 100]) {
        self.relayPulse = relayPulse
        self.greenOn = greenOn
        self.redOn = redOn
        self.deniedPattern = deniedPattern
    }
}

/// A line to switch now.
public struct SignalChange: Sendable, Equatable, CustomStringConvertible {
    /// Which line.
    public var channel: SignalChannel
    /// On (true) or off.
    public var active: Bool

    /// Creates a change.
    public init(_ channel: SignalChannel, _ active: Bool) {
        self.channel = channel
        self.active = active
    }

    public var description: String { "\(channel) \(active ? "on" : "off")" }
}

/// The signal pattern of the gate as a value: cues and the time go in, line changes and the
/// next deadline come out. It never reads a clock; the `SignalPlayer` shell carries it out.
///
/// Rules: a new cue cancels what is left of the lamps', buzzer's and LED's previous pattern
/// and starts its own. The relay is only ever switched on by a new GRANTED (never by a
/// repeat read), and every "relay on" has its "relay off" scheduled at the same moment, so
/// it is never left energized; a DENIED for the next person does not cut a running pulse.
public struct SignalSequencer: Sendable {
    private struct Step: Sendable {
        var at: UInt64
        var change: SignalChange
    }

    private let timings: SignalTimings
    private var levels: [SignalChannel: Bool] = [:]
    private var steps: [Step] = []

    /// A sequencer with every line off.
    public init(timings: SignalTimings) { self.timings = timings }

    /// True when the channel is on.
    public func isActive(_ channel: SignalChannel) -> Bool { levels[channel] ?? false }

    /// The earliest time a step is due, or nil when nothing is scheduled.
    public var nextDeadline: UInt64? { steps.map(\.at).min() }

    /// Starts the pattern for `cue` at `now` (milliseconds): returns the changes to make now.
    public mutating func cue(_ cue: SignalCue, at now: UInt64) -> [SignalChange] {
        let before = levels
        let replaced: Set<SignalChannel> = cue == .granted ? Set(SignalChannel.allCases) : [.green, .red, .buzzer, .led]
        steps.removeAll { replaced.contains($0.change.channel) }
        for channel in [SignalChannel.green, .red, .buzzer, .led] { levels[channel] = false }

        switch cue {
        case .granted:
            light(.relay, for: timings.relayPulse, at: now)
            light(.green, for: timings.greenOn, at: now)
            light(.led, for: timings.greenOn, at: now)
        case .repeatGranted:
            light(.green, for: timings.greenOn, at: now)
        case .denied:
            light(.red, for: timings.redOn, at: now)
            for channel in [SignalChannel.buzzer, .led] { play(timings.deniedPattern, on: channel, at: now) }
        case .repeatDenied:
            light(.red, for: timings.redOn, at: now)
        }
        return changes(from: before)
    }

    /// The changes due by `now`: the steps due are applied in time order, and each channel
    /// whose level ends up different is reported once.
    public mutating func advance(to now: UInt64) -> [SignalChange] {
        let before = levels
        let due = steps.enumerated().filter { $0.element.at <= now }
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        steps.removeAll { $0.at <= now }
        for step in due { levels[step.element.change.channel] = step.element.change.active }
        return changes(from: before)
    }

    /// Switches everything off and forgets the schedule (stop, reload).
    public mutating func allOff() -> [SignalChange] {
        let before = levels
        steps.removeAll()
        levels = [:]
        return changes(from: before)
    }

    private mutating func light(_ channel: SignalChannel, for duration: UInt64, at now: UInt64) {
        guard duration > 0 else { return }
        levels[channel] = true
        schedule(channel, false, at: now + duration)
    }

    /// On, off, on… durations from `now`; always ends off.
    private mutating func play(_ pattern: [UInt64], on channel: SignalChannel, at now: UInt64) {
        var offset: UInt64 = 0
        for (i, duration) in pattern.enumerated() {
            if offset == 0 { levels[channel] = i % 2 == 0 } else { schedule(channel, i % 2 == 0, at: now + offset) }
            offset += duration
        }
        if offset > 0 { schedule(channel, false, at: now + offset) }
    }

    private func changes(from before: [SignalChannel: Bool]) -> [SignalChange] {
        SignalChannel.allCases.compactMap { channel in
            let now = levels[channel] ?? false
            return now == (before[channel] ?? false) ? nil : SignalChange(channel, now)
        }
    }

    private mutating func schedule(_ channel: SignalChannel, _ active: Bool, at time: UInt64) {
        steps.append(Step(at: time, change: SignalChange(channel, active)))
    }
}
