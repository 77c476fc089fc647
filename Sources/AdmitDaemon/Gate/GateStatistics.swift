import AdmitCore

/// Counters and the last decisions, kept by the gate loop for `status` and `recent`.
public struct GateStatistics: Sendable {
    /// One remembered decision with the time the gate took.
    public struct Entry: Sendable {
        /// The decision.
        public var decision: Decision
        /// Nanoseconds from read to decision on the gate queue.
        public var latencyNanoseconds: UInt64
    }

    /// GRANTED decisions since start (repeat reads not counted).
    public private(set) var granted = 0
    /// DENIED decisions since start (repeat reads not counted).
    public private(set) var denied = 0
    /// Repeat reads inside the debounce window.
    public private(set) var repeats = 0
    /// Denials by reason code.
    public private(set) var deniedByReason: [String: Int] = [:]
    /// Why the last scan could not be recorded, until a scan is recorded again (a full or
    /// broken disk): the gate refuses everyone meanwhile, and `status` is red with this.
    public private(set) var recordProblem: String?
    private var ring: [Entry] = []
    private var next = 0
    private let capacity = 200

    /// Empty statistics.
    public init() {}

    mutating func recording(failed problem: String?) { recordProblem = problem }

    mutating func count(_ decision: Decision, latencyNanoseconds: UInt64) {
        if decision.isRepeat {
            repeats += 1
        } else if decision.isGranted {
            granted += 1
        } else {
            denied += 1
            deniedByReason[decision.denial?.code ?? "unknown", default: 0] += 1
        }
        let entry = Entry(decision: decision, latencyNanoseconds: latencyNanoseconds)
        if ring.count < capacity {
            ring.append(entry)
        } else {
            ring[next] = entry
        }
        next = (next + 1) % capacity
    }

    /// The last `limit` decisions, newest first.
    public func recent(_ limit: Int) -> [Entry] {
        let ordered = ring.count < capacity ? ring : Array(ring[next...] + ring[..<next])
        return Array(ordered.reversed().prefix(limit))
    }
}
