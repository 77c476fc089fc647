/// Which GRANTED scans are still waiting for the turnstile to turn, as a value: grants,
/// edges and the time go in (monotonic milliseconds), passed and timed-out scan ids come
/// out. It never reads a clock; `PassageMonitor` is its shell.
///
/// Edges are matched to grants first in, first out: one rotation admits the oldest visitor
/// still waiting. An edge with nobody waiting is counted as an unexplained passage.
///
/// A sensor that is dead, unplugged or stuck at one level reports nothing, which would
/// read as "nobody passed" for every visitor. After `stuckAfter` timeouts in a row with no
/// edge at all the sensor is suspect (`isSuspect`) until its next edge.
public struct PassageWatch: Sendable {
    private struct Waiting: Sendable {
        var scanID: String
        var deadline: UInt64
    }

    /// How long a GRANTED visitor has to pass, in milliseconds.
    public let timeout: UInt64
    private var waiting: [Waiting] = []
    /// Edges that came with nobody waiting (a push-through, or a sensor bounce).
    public private(set) var unexplainedPassages = 0
    /// Timeouts since the sensor's last edge.
    public private(set) var timeoutsInARow = 0
    /// Timeouts in a row that make the sensor suspect.
    public let stuckAfter: Int

    /// A watch giving each visitor `timeout` milliseconds; `stuckAfter` timeouts in a row
    /// with no edge make the sensor suspect.
    public init(timeout: UInt64, stuckAfter: Int = 5) {
        self.timeout = timeout
        self.stuckAfter = max(1, stuckAfter)
    }

    /// True while the sensor has been silent for `stuckAfter` visitors in a row: a
    /// timeout then says more about the sensor than about the visitor.
    public var isSuspect: Bool { timeoutsInARow >= stuckAfter }

    /// Scans waiting for a passage.
    public var waitingCount: Int { waiting.count }

    /// The earliest deadline, or nil when nobody is waiting.
    public var nextDeadline: UInt64? { waiting.first?.deadline }

    /// A GRANTED at `now`: its visitor has until `now + timeout`.
    public mutating func granted(scanID: String, at now: UInt64) {
        waiting.append(Waiting(scanID: scanID, deadline: now + timeout))
    }

    /// A passage edge at `time`: returns the scan it admitted, nil when nobody was waiting.
    public mutating func passed(at time: UInt64) -> String? {
        timeoutsInARow = 0
        waiting.removeAll { $0.deadline < time }  // `advance` reports these; an edge after the deadline is too late
        guard !waiting.isEmpty else {
            unexplainedPassages += 1
            return nil
        }
        return waiting.removeFirst().scanID
    }

    /// The scans whose deadline has passed by `now`, oldest first: their visitors did not pass.
    public mutating func advance(to now: UInt64) -> [String] {
        let expired = waiting.prefix { $0.deadline <= now }.map(\.scanID)
        waiting.removeFirst(expired.count)
        timeoutsInARow += expired.count
        return expired
    }
}
