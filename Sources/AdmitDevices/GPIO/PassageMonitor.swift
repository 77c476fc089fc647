import Dispatch
import Logging

/// Watches the turnstile's passage input and tells, for each GRANTED, whether the visitor
/// went through within the timeout. Runs on its own queue; `granted` returns at once.
public final class PassageMonitor: @unchecked Sendable {
    /// What happened to a GRANTED scan.
    public enum Outcome: Sendable, Equatable {
        /// The turnstile turned within the timeout.
        case passed
        /// No passage within the timeout: the visitor turned back.
        case notPassed
    }

    // Everything below `queue` is touched only on `queue`.
    private let queue = DispatchQueue(label: "admit.passage")
    private var watch: PassageWatch
    private var timer: (any DispatchSourceTimer)?
    private let input: any EdgeSource
    private let now: @Sendable () -> UInt64
    private let report: @Sendable (String, Outcome) -> Void
    private let logger: Logger

    /// Watches `input`; `report(scanID, outcome)` is called on the monitor's queue.
    public init(
        input: any EdgeSource, timeoutMilliseconds: UInt64, logger: Logger,
        now: @escaping @Sendable () -> UInt64 = SignalPlayer.monotonicMilliseconds,
        report: @escaping @Sendable (String, Outcome) -> Void
    ) {
        self.input = input
        self.watch = PassageWatch(timeout: timeoutMilliseconds)
        self.now = now
        self.report = report
        self.logger = logger
    }

    /// The input's label, for status.
    public var label: String { input.label }

    /// Starts listening to the input.
    public func start() throws(LineError) {
        try input.start(queue: queue) { [weak self] nanoseconds in self?.edge(at: nanoseconds / 1_000_000) }
    }

    /// Stops listening; scans still waiting are left as they are (they were recorded as GRANTED).
    public func stop() {
        input.stop()
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }

    /// A GRANTED scan whose visitor should now pass.
    public func granted(scanID: String) {
        queue.async { [self] in
            watch.granted(scanID: scanID, at: now())
            rearm()
        }
    }

    /// Edges that came with nobody waiting, and scans waiting now (for status and tests).
    public func counts() -> (unexplained: Int, waiting: Int) {
        queue.sync { (watch.unexplainedPassages, watch.waitingCount) }
    }

    private func edge(at milliseconds: UInt64) {
        // Expire first, so a late edge is not credited to a visitor who already timed out.
        expire(at: milliseconds)
        if let scanID = watch.passed(at: milliseconds) {
            report(scanID, .passed)
        } else {
            logger.warning("passage on \(input.label) with no GRANTED scan waiting")
        }
        rearm()
    }

    private func expire(at milliseconds: UInt64) {
        for scanID in watch.advance(to: milliseconds) { report(scanID, .notPassed) }
    }

    private func rearm() {
        guard let deadline = watch.nextDeadline else {
            timer?.cancel()
            timer = nil
            return
        }
        if timer == nil {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { [unowned self] in
                expire(at: now())
                rearm()
            }
            timer.resume()
            self.timer = timer
        }
        let current = now()
        let delay = deadline > current ? deadline - current : 0
        timer?.schedule(deadline: .now() + .milliseconds(Int(delay)), leeway: .milliseconds(5))
    }
}
