import AdmitCore
import Dispatch
import Foundation

/// The gate's serial loop: one DispatchQueue owns the `Gate` value and every change to it.
///
/// Scanners and the control socket `submit` reads; the loop decides (on the caller's thread
/// while it holds the queue: no thread wake-up between the last key and the decision),
/// applies the redemption, records the scan in the journal, and only once it is durable
/// signals the outputs (relay, lights, console) and answers the caller. Syncs hand in whole new index
/// generations, so a read never waits on the network or on a lock held by sync.
public final class GateLoop: @unchecked Sendable {
    // Everything below `queue` is touched only on `queue`.
    private let queue = DispatchQueue(label: "admit.gate", qos: .userInteractive)
    private let queueKey = DispatchSpecificKey<Bool>()
    private var gate: Gate
    private var statistics = GateStatistics()
    private let clock: SystemClock
    private let serverClock: SharedServerClock
    private let journal: any ScanJournal
    private var outputs: [any DecisionOutput]
    private var onDecision: [@Sendable (Decision) -> Void] = []
    private var inFlight: [InFlight] = []
    private let realtime: RealtimeCheck?
    private var strict: StrictClaim?
    private var nextSequence: UInt64 = 0

    /// Creates the loop around a gate; nothing happens until reads are submitted.
    public init(
        gate: Gate, journal: any ScanJournal, outputs: [any DecisionOutput], clock: SystemClock = SystemClock(),
        serverClock: SharedServerClock = SharedServerClock(), realtime: RealtimeCheck? = nil
    ) {
        self.realtime = realtime
        self.gate = gate
        self.serverClock = serverClock
        self.journal = journal
        self.outputs = outputs
        self.clock = clock
        queue.setSpecific(key: queueKey, value: true)
    }

    /// True on the gate queue (or in a block run synchronously on it).
    private var onQueue: Bool { DispatchQueue.getSpecific(key: queueKey) == true }

    /// Runs `body` on the gate queue now, on the caller's thread when the queue is free
    /// (`sync` runs the block in place): a read is decided without waking another thread.
    private func decideNow(_ body: () -> Void) {
        if onQueue { body() } else { queue.sync(execute: body) }
    }

    /// Decides a barcode read now by `source`. `reply` gets the decision once it is
    /// recorded and signalled (nil when the barcode was empty) and the nanoseconds from
    /// the read to the decision (a realtime check included).
    public func submit(
        barcode: String, source: String, direction: Direction? = nil,
        reply: (@Sendable (Decision?, UInt64) -> Void)? = nil
    ) {
        let instant = clock.monotonic()
        let scanID = UUID().uuidString.lowercased()
        let read = Read(
            scanID: scanID, rawBarcode: barcode, source: source, direction: direction,
            instant: instant, time: serverClock.now(at: instant))
        guard let realtime else {
            decideNow { decide(read, verdict: nil, reply: reply) }
            return
        }
        // Ask the backend first, within its hard budget; the gate queue is not held meanwhile.
        Task.detached { [self] in
            let verdict = await realtime.ask(barcode, direction)
            queue.async { [self] in decide(read, verdict: verdict, reply: reply, recordedBy: realtime.recordsScan) }
        }
    }

    /// Runs `body` on the gate queue with the gate's state, for status and tests.
    public func inspect<T: Sendable>(_ body: @escaping @Sendable (GateSnapshot) -> T, reply: @escaping @Sendable (T) -> Void) {
        queue.async { [self] in
            reply(body(GateSnapshot(gate: gate, statistics: statistics)))
        }
    }

    /// Like `inspect`, but waits for the answer. Never call it from the gate queue.
    public func inspectNow<T: Sendable>(_ body: @escaping @Sendable (GateSnapshot) -> T) -> T {
        queue.sync { body(GateSnapshot(gate: gate, statistics: statistics)) }
    }

    /// Swaps in the next ticket generation.
    public func replaceIndex(_ index: TicketIndex) {
        queue.async { [self] in gate.replaceIndex(index) }
    }

    /// Applies redemptions learned elsewhere (a sync, another gate).
    public func apply(_ events: [RedemptionEvent]) {
        queue.async { [self] in for event in events { gate.apply(event) } }
    }

    /// Applies other gates' redemptions and revocations (the mesh), already stored; `reply`
    /// gets, on the gate queue, each applied redemption that clashes with a known passage
    /// (the pair: the known one first), a conflict.
    public func applyPeer(
        _ redemptions: [RedemptionEvent], revoked: [String],
        reply: @escaping @Sendable ([(known: RedemptionEvent, peer: RedemptionEvent)]) -> Void
    ) {
        queue.async { [self] in
            var clashes: [(known: RedemptionEvent, peer: RedemptionEvent)] = []
            for event in redemptions {
                if let known = gate.applyPeer(event) { clashes.append((known, event)) }
            }
            for scanID in revoked { gate.revoke(scanID: scanID) }
            reply(clashes)
        }
    }

    /// Adds an output (e.g. after a reload).
    public func addOutput(_ output: any DecisionOutput) {
        queue.async { [self] in outputs.append(output) }
    }

    /// Puts new rules in force (a reload); the index, ledger and debounce memory are kept.
    public func updatePolicy(_ policy: GatePolicy, normalizer: BarcodeNormalizer) {
        queue.async { [self] in
            gate.policy = policy
            gate.normalizer = normalizer
        }
    }

    /// Replaces the outputs (a reload built new ones); the gate's state is kept.
    public func replaceOutputs(_ next: [any DecisionOutput]) {
        queue.async { [self] in outputs = next }
    }

    /// A GRANTED visitor did not pass the turnstile: takes the redemption back so the ticket
    /// stays usable, in memory at once and then in the journal, so a restart does not bring
    /// it back. `reply` gets true when the scan was still held by this gate and the journal
    /// took the revocation (if it could not, the ticket is usable until a restart, which
    /// refuses it again: the safe side).
    public func revokeNotPassed(scanID: String, reply: (@Sendable (Bool) -> Void)? = nil) {
        queue.async { [self] in
            guard gate.revoke(scanID: scanID) else { reply?(false); return }
            let journal = journal
            DispatchQueue.global(qos: .utility).async {
                do {
                    try journal.revokeRedemption(scanID: scanID)
                    reply?(true)
                } catch {
                    reply?(false)
                }
            }
        }
    }

    /// Calls `body` on the gate queue with every recorded decision (metrics, watchers).
    public func onDecision(_ body: @escaping @Sendable (Decision) -> Void) {
        queue.async { [self] in onDecision.append(body) }
    }

    /// Runs `body` on the gate queue: the watchdog pings from here, so a stalled gate is noticed.
    public func async(_ body: @escaping @Sendable () -> Void) { queue.async(execute: body) }

    private func decide(
        _ read: Read, verdict: BackendVerdict?, reply: (@Sendable (Decision?, UInt64) -> Void)?, recordedBy: Bool = false
    ) {
        guard var decision = gate.decide(read, verdict: verdict) else {
            reply?(nil, 0)
            return
        }
        if recordedBy, case .granted = verdict { decision.settledInRealtime = true }
        // From the read, as the visitor waits: a realtime check's wait included.
        let latency = clock.monotonic().nanoseconds - read.instant.nanoseconds
        let sequence = nextSequence
        nextSequence += 1
        inFlight.append(InFlight(sequence: sequence, decision: decision, latency: latency, reply: reply))
        if decision.isRepeat {
            complete(sequence, result: .success(()))
            return
        }
        if let strict, decision.isGranted, decision.direction == .in {
            // Strict mode: the other gates have a say first, within the claim's hard budget.
            strict.ask(decision) { [self] verdict in queue.async { [self] in settle(sequence, verdict) } }
            return
        }
        record(sequence, decision)
    }

    /// Puts strict mode in force (the mesh, once connected); nil decides alone again.
    public func useStrictClaim(_ claim: StrictClaim?) {
        queue.async { [self] in strict = claim }
    }

    /// A strict claim answered: refused elsewhere turns GRANTED into already used there.
    private func settle(_ sequence: UInt64, _ verdict: ClaimOutcome) {
        guard let position = inFlight.firstIndex(where: { $0.sequence == sequence }) else { return }
        var decision = inFlight[position].decision
        switch verdict {
        case .claimed: break
        case .unconfirmed: decision.unconfirmed = true
        case .usedElsewhere(let gateName, let time):
            gate.revoke(scanID: decision.scanID)
            decision.outcome = .denied
            decision.denial = .alreadyUsed(time: time, gate: gateName)
        }
        inFlight[position].decision = decision
        record(sequence, decision)
    }

    private func record(_ sequence: UInt64, _ decision: Decision) {
        journal.append(ScanRecord(decision)) { [self] result in
            // A journal that completes in place (memory) stays on this thread; the durable
            // one completes on its writer's thread, and the outputs move back here.
            if onQueue { complete(sequence, result: result) } else { queue.async { [self] in complete(sequence, result: result) } }
        }
    }

    /// Marks a decision's record as settled and releases, in read order, every decision
    /// whose record is settled: outputs never show a later read before an earlier one.
    private func complete(_ sequence: UInt64, result: Result<Void, any Error>) {
        guard let position = inFlight.firstIndex(where: { $0.sequence == sequence }) else { return }
        inFlight[position].result = result
        while let head = inFlight.first, let result = head.result {
            inFlight.removeFirst()
            var final = head.decision
            if case .failure(let error) = result {
                // Nothing moves for a scan that is not on disk: take the redemption back
                // so the visitor can scan again once storage works.
                gate.revoke(scanID: final.scanID)
                final.outcome = .denied
                final.denial = .blocked(message: "cannot record the scan: \(error)")
                statistics.recording(failed: "\(error)")
            } else if !final.isRepeat {
                statistics.recording(failed: nil)
            }
            statistics.count(final, latencyNanoseconds: head.latency)
            signal(final, latency: head.latency)
            if !final.isRepeat { for watcher in onDecision { watcher(final) } }
            head.reply?(final, head.latency)
        }
    }

    private func signal(_ decision: Decision, latency: UInt64) {
        for output in outputs { output.signal(decision, latencyNanoseconds: latency) }
    }
}

/// A read-only view of the gate's state on the gate queue.
public struct GateSnapshot: Sendable {
    /// The gate value (policy, index, ledger).
    public let gate: Gate
    /// Counters and recent decisions.
    public let statistics: GateStatistics
}

/// A decision waiting for its record to be settled before it is signalled.
private struct InFlight {
    var sequence: UInt64
    var decision: Decision
    var latency: UInt64
    var reply: (@Sendable (Decision?, UInt64) -> Void)?
    var result: Result<Void, any Error>?
}

/// A realtime check the gate makes before deciding, where the backend offers one.
public struct RealtimeCheck: Sendable {
    /// Asks the backend; nil when it did not answer within the budget or failed.
    public var ask: @Sendable (_ barcode: String, _ direction: Direction?) async -> BackendVerdict?
    /// True when the backend records the scan itself when it admits (no upload needed).
    public var recordsScan: Bool

    /// Creates a realtime check.
    public init(recordsScan: Bool, ask: @escaping @Sendable (String, Direction?) async -> BackendVerdict?) {
        self.ask = ask
        self.recordsScan = recordsScan
    }
}
