import Dispatch
import Synchronization

/// A line that remembers what it was told: the seam the tests (and a kiosk without GPIO)
/// use in place of a GPIO line or LED. Can be told to fail.
public final class RecordingLine: SignalLine {
    private let state = Mutex<(history: [Bool], failure: LineError?)>(([], nil))
    public let label: String

    /// A line named `label`, inactive.
    public init(label: String) { self.label = label }

    public func drive(_ active: Bool) throws(LineError) {
        let failure: LineError? = state.withLock { s in
            if let f = s.failure { return f }
            s.history.append(active)
            return nil
        }
        if let failure { throw failure }
    }

    /// Every level driven so far, oldest first.
    public var history: [Bool] { state.withLock { $0.history } }

    /// The level last driven (inactive before the first).
    public var isActive: Bool { history.last ?? false }

    /// Makes every later `drive` throw `error` (nil heals the line).
    public func fail(with error: LineError?) { state.withLock { $0.failure = error } }
}

/// An edge source the test fires by hand.
public final class ManualEdgeSource: EdgeSource {
    private let handler = Mutex<(queue: DispatchQueue, onEdge: @Sendable (UInt64) -> Void)?>(nil)
    public let label: String

    /// An input named `label`.
    public init(label: String = "manual") { self.label = label }

    public func start(queue: DispatchQueue, onEdge: @escaping @Sendable (UInt64) -> Void) throws(LineError) {
        handler.withLock { $0 = (queue, onEdge) }
    }

    public func stop() { handler.withLock { $0 = nil } }

    /// Delivers an edge stamped `nanoseconds` (monotonic) on the watcher's queue.
    public func fire(at nanoseconds: UInt64) {
        guard let (queue, onEdge) = handler.withLock({ $0 }) else { return }
        queue.async { onEdge(nanoseconds) }
    }
}

