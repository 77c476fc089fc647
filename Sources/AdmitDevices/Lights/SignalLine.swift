import Dispatch

/// One thing the gate switches on and off: the relay, a lamp, the buzzer, an LED.
///
/// `drive(true)` means active (relay energized, lamp lit) whatever the wiring's polarity;
/// the line applies active-low itself. Implementations release the device in `deinit`,
/// leaving it inactive.
public protocol SignalLine: AnyObject, Sendable {
    /// Where the line is, for logs and `admitctl status`, e.g. `gpiochip0:17`.
    var label: String { get }
    /// Switches the line; throws when the device refuses.
    func drive(_ active: Bool) throws(LineError)
}

/// A source of passage edges: the turnstile's rotation contact on a GPIO input.
public protocol EdgeSource: AnyObject, Sendable {
    /// Where the input is, for logs.
    var label: String { get }
    /// Starts watching; `onEdge` gets the monotonic nanoseconds of each edge, on `queue`.
    func start(queue: DispatchQueue, onEdge: @escaping @Sendable (UInt64) -> Void) throws(LineError)
    /// Stops watching and releases the input.
    func stop()
}
