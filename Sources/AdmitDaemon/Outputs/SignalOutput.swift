import AdmitCore
import AdmitDevices

/// The relay, lamps, buzzer and LED as a `DecisionOutput`: each decision becomes a cue for
/// the `SignalPlayer`, which times the pattern on its own queue.
///
/// The gate loop calls `signal` only after the scan is on stable storage, so the relay
/// never moves for a scan that could be lost.
public final class SignalOutput: DecisionOutput {
    /// The player driving the lines.
    public let player: SignalPlayer

    /// Signals decisions through `player`.
    public init(player: SignalPlayer) { self.player = player }

    public func signal(_ decision: Decision, latencyNanoseconds: UInt64) {
        player.play(SignalCue(decision))
    }
}

/// Hands every new GRANTED to the passage monitor, which reports whether the visitor passed.
public final class PassageOutput: DecisionOutput {
    /// The monitor of the passage input.
    public let monitor: PassageMonitor

    /// Watches passages through `monitor`.
    public init(monitor: PassageMonitor) { self.monitor = monitor }

    public func signal(_ decision: Decision, latencyNanoseconds: UInt64) {
        guard decision.isGranted, !decision.isRepeat else { return }
        monitor.granted(scanID: decision.scanID)
    }
}
