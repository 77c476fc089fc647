import AdmitCore
import Dispatch
import Synchronization

/// What strict mode answered for a GRANTED entry.
public enum ClaimOutcome: Sendable, Equatable {
    /// Confirmed: no other gate used the ticket up.
    case claimed
    /// Another gate used it: DENIED, already used there.
    case usedElsewhere(gate: String, time: Timestamp)
    /// No answer within the budget: the local decision stands, marked unconfirmed.
    case unconfirmed
}

/// Strict mode as the gate loop sees it: ask about a GRANTED entry, get one answer back
/// within the hard budget, whatever the network does.
public struct StrictClaim: Sendable {
    /// Asks; `answer` is called exactly once, from any thread.
    public let ask: @Sendable (Decision, @escaping @Sendable (ClaimOutcome) -> Void) -> Void

    /// A claim that runs `claim` on a thread of its own and answers `.unconfirmed` if it has
    /// not answered within `budgetMilliseconds` (its late answer is then dropped).
    public init(budgetMilliseconds: Int, claim: @escaping @Sendable (Decision) -> ClaimOutcome) {
        let workers = DispatchQueue(label: "admit.mesh.claims", qos: .userInteractive, attributes: .concurrent)
        ask = { decision, answer in
            let once = Mutex<Bool>(false)
            let reply: @Sendable (ClaimOutcome) -> Void = { outcome in
                let first = once.withLock { done -> Bool in
                    defer { done = true }
                    return !done
                }
                if first { answer(outcome) }
            }
            workers.async { reply(claim(decision)) }
            workers.asyncAfter(deadline: .now() + .milliseconds(budgetMilliseconds)) { reply(.unconfirmed) }
        }
    }
}
