import AdmitCore
import Dispatch
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Carries out a `SignalSequencer` on real lines, on its own queue: `play` returns at once,
/// so the gate queue never waits for a pulse, and one timer wakes the queue for the next step.
///
/// `stop()` switches every line off; releasing the player releases the lines (their fds
/// close), so the relay drops even if a stop never came.
public final class SignalPlayer: @unchecked Sendable {
    // Everything below `queue` is touched only on `queue`.
    private let queue = DispatchQueue(label: "admit.signals", qos: .userInteractive)
    private var sequencer: SignalSequencer
    private let lines: [SignalChannel: any SignalLine]
    private var timer: (any DispatchSourceTimer)?
    private var failing: Set<SignalChannel> = []
    // Lines told "off" that refused: retried every `offRetryMilliseconds` until it takes.
    private var stuckOn: Set<SignalChannel> = []
    private var failedOffs = 0
    private let offRetryMilliseconds: Int
    private let now: @Sendable () -> UInt64
    private let logger: Logger

    /// Plays patterns with `timings` on `lines` (channels without a line are skipped).
    /// `now` reads monotonic milliseconds; tests may pass their own.
    public init(
        lines: [SignalChannel: any SignalLine], timings: SignalTimings, logger: Logger,
        now: @escaping @Sendable () -> UInt64 = SignalPlayer.monotonicMilliseconds,
        offRetryMilliseconds: Int = 50
    ) {
        self.lines = lines
        self.offRetryMilliseconds = offRetryMilliseconds
        self.sequencer = SignalSequencer(timings: timings)
        self.logger = logger
        self.now = now
    }

    /// The channels this player has a line for, with the line's label.
    public var channels: [SignalChannel: String] { lines.mapValues(\.label) }

    /// Starts the pattern for a decision; returns at once.
    public func play(_ cue: SignalCue) {
        queue.async { [self] in
            apply(sequencer.cue(cue, at: now()))
            rearm()
        }
    }

    /// Switches every line off and cancels what was scheduled; waits until done.
    /// Never call it from the player's own queue.
    public func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
            apply(sequencer.allOff())
        }
    }

    /// Lines that refused to switch off and are still being retried (a relay that may be
    /// holding the turnstile open), and how many "off"s have failed since start.
    public func offProblems() -> (stuckOn: [SignalChannel], failedOffs: Int) {
        queue.sync { (stuckOn.sorted(), failedOffs) }
    }

    /// Runs `body` on the player's queue after everything queued before it (tests).
    public func sync<T>(_ body: () -> T) -> T { queue.sync(execute: body) }

    deinit {
        timer?.cancel()
        for line in lines.values { try? line.drive(false) }
    }

    private func apply(_ changes: [SignalChange]) {
        for change in changes {
            guard let line = lines[change.channel] else { continue }
            do {
                try line.drive(change.active)
                stuckOn.remove(change.channel)
                if failing.remove(change.channel) != nil { logger.info("\(change.channel) line \(line.label) works again") }
            } catch {
                // A refused "off" may leave the turnstile released: keep trying until it takes.
                if change.active {
                    stuckOn.remove(change.channel)
                } else {
                    failedOffs += 1
                    if stuckOn.insert(change.channel).inserted {
                        logger.critical("\(change.channel) line \(line.label) did not switch off; retrying: \(error)")
                    }
                }
                // Log once per failure streak, not on every decision.
                if failing.insert(change.channel).inserted { logger.error("\(change.channel) line: \(error)") }
            }
        }
    }

    private func rearm() {
        let deadline = sequencer.nextDeadline
        guard deadline != nil || !stuckOn.isEmpty else {
            timer?.cancel()
            timer = nil
            return
        }
        if timer == nil {
            let timer = DispatchSource.makeTimerSource(flags: .strict, queue: queue)
            timer.setEventHandler { [unowned self] in
                retryOffs()
                apply(sequencer.advance(to: now()))
                rearm()
            }
            timer.resume()
            self.timer = timer
        }
        // One reading of the clock: two could straddle the deadline and underflow.
        let current = now()
        var delay = deadline.map { $0 > current ? Int($0 - current) : 0 } ?? Int.max
        if !stuckOn.isEmpty { delay = min(delay, offRetryMilliseconds) }
        timer?.schedule(deadline: .now() + .milliseconds(delay), leeway: .milliseconds(1))
    }

    private func retryOffs() {
        apply(stuckOn.sorted().map { SignalChange($0, false) })
    }

    /// CLOCK_MONOTONIC in milliseconds.
    @Sendable public static func monotonicMilliseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec) / 1_000_000
    }
}
