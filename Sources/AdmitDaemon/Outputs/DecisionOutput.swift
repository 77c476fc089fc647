import AdmitCore

/// Something that shows or acts on a decision: the console, the relay, lights, a buzzer.
///
/// `signal` is called on the gate queue after the scan is on stable storage; an output
/// must return at once and do slow work (a pulse, a terminal write) on its own queue.
public protocol DecisionOutput: Sendable {
    /// Shows or acts on one decision; `latencyNanoseconds` is the time the gate took to decide.
    func signal(_ decision: Decision, latencyNanoseconds: UInt64)
}
