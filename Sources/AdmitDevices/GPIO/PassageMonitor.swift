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
        /// No passage within the timeout, but the sensor has been silent for
        /// `stuckAfter` visitors in a row: it is more likely broken than everyone turned
        /// back, so the ticket is not given back.
        case sensorSilent
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
        input: any EdgeSource, timeoutMilliseconds: UInt64, stuckAfter: Int = 5, logger: Logger,
        now: @escaping @Sendable () -> UInt64 = SignalPlayer.monotonicMilliseconds,
        report: @escaping @Sendable (String, Outcome) -> Void
    ) {
        self.input = input
        self.watch = PassageWatch(timeout: timeoutMilliseconds, stuckAfter: stuckAfter)
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

    /// Why the sensor is suspect ("passage sensor silent: …"), nil while it reports.
    public func sensorProblem() -> String? {
        queue.sync {
            guard watch.isSuspect else { return nil }
            return "passage sensor silent: \(watch.timeoutsInARow) GRANTED in a row without a passage on \(input.label);"
                + " tickets are no longer given back until it reports again"
        }
    }

    private func edge(at milliseconds: UInt64) {
        let wasSuspect = watch.isSuspect
        // Expire first, so a late edge is not credited to a visitor who already timed out.
        expire(at: milliseconds)
        if let scanID = watch.passed(at: milliseconds) {
            report(scanID, .passed)
        } else {
            logger.warning("passage on \(input.label) with no GRANTED scan waiting")
        }
        if wasSuspect { logger.notice("passage sensor \(input.label) reports again") }
        rearm()
    }

    private func expire(at milliseconds: UInt64) {
        let before = watch.timeoutsInARow
        for (i, scanID) in watch.advance(to: milliseconds).enumerated() {
            let silent = before + i + 1 >= watch.stuckAfter
            if silent, before + i + 1 == watch.stuckAfter {
                logger.critical("passage sensor \(input.label) silent for \(watch.stuckAfter) GRANTED in a row: check it")
            }
            report(scanID, silent ? .sensorSilent : .notPassed)
        }
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
