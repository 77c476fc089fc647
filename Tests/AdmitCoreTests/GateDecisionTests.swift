import AdmitCore
import Testing

/// Every decision reason, as scan scripts.
@Suite struct GateDecisionTests {
    static let start = Timestamp(millisecondsSince1970: 1_800_000_000_000)
    static let hour: Int64 = 3_600_000

    static let tickets: [Ticket] = [
        Ticket(id: "1", barcode: "VALID", typeName: "Adult", areas: ["north"]),
        Ticket(id: "2", barcode: "CANCELLED", status: .cancelled, message: "refunded"),
        Ticket(id: "3", barcode: "BLOCKED", status: .blocked, message: "unpaid"),
        Ticket(id: "4", barcode: "LATER", validFrom: start.adding(milliseconds: hour)),
        Ticket(id: "5", barcode: "OLD", validUntil: start.adding(milliseconds: -hour)),
        Ticket(id: "6", barcode: "SOUTH", areas: ["south"]),
        Ticket(id: "7", barcode: "ANYAREA"),
        Ticket(id: "8", barcode: "TWICE", entriesAllowed: 2),
    ]

    func script(_ policy: GatePolicy = GatePolicy(gateName: "north-1", area: "north")) -> GateScript {
        GateScript(gate: Gate(policy: policy, index: TicketIndex(tickets: Self.tickets)), wallStart: Self.start)
    }

    @Test func grantsAValidTicketOnce() {
        var s = script()
        s.run("""
            at 0      scan VALID      GRANTED
            at 10000  scan VALID      DENIED already_used
            """)
    }

    @Test func refusesUnknownCancelledBlockedAndTimeWindows() {
        var s = script()
        s.run("""
            at 0 scan NOSUCH     DENIED unknown_ticket
            at 0 scan CANCELLED  DENIED cancelled
            at 0 scan BLOCKED    DENIED blocked
            at 0 scan LATER      DENIED not_yet_valid
            at 0 scan OLD        DENIED expired
            at 0 scan SOUTH      DENIED wrong_area
            at 0 scan ANYAREA    GRANTED
            """)
    }

    @Test func aTicketBecomesValidWhenItsWindowOpens() {
        var s = script()
        s.run("""
            at 0        scan LATER   DENIED not_yet_valid
            at 3600001  scan LATER   GRANTED
            """)
    }

    @Test func repeatReadsInsideTheDebounceWindowRepeatTheOutcome() {
        var s = script()
        s.run("""
            at 0     scan VALID    GRANTED
            at 500   scan VALID    GRANTED repeat
            at 2999  scan VALID    GRANTED repeat
            at 3000  scan VALID    DENIED already_used
            at 3500  scan VALID    DENIED already_used repeat
            at 0     scan NOSUCH2  DENIED unknown_ticket
            """)
        #expect(s.gate.ledger.eventCount == 1)
    }

    @Test func multiEntryTicketsCountEntries() {
        var s = script()
        s.run("""
            at 0      scan TWICE   GRANTED
            at 5000   scan TWICE   GRANTED
            at 10000  scan TWICE   DENIED already_used
            """)
    }

    @Test func reentryNeedsAnExitInBetween() {
        var s = script(GatePolicy(gateName: "g", allowsReentry: true, opensBothWays: true))
        s.run("""
            at 0      scan VALID        GRANTED
            at 5000   scan VALID        DENIED already_used
            at 10000  scan VALID out    GRANTED
            at 15000  scan VALID        GRANTED
            """)
    }

    @Test func withoutReentryAnExitDoesNotGiveTheEntryBack() {
        var s = script(GatePolicy(gateName: "g", opensBothWays: true))
        s.run("""
            at 0      scan VALID        GRANTED
            at 5000   scan VALID out    GRANTED
            at 10000  scan VALID        DENIED already_used
            """)
    }

    @Test func exitWithoutEntryIsRefusedWhereConfigured() {
        var s = script(GatePolicy(gateName: "g", exitRequiresEntry: true, opensBothWays: true))
        s.run("""
            at 0      scan VALID out    DENIED wrong_direction
            at 5000   scan VALID        GRANTED
            at 10000  scan VALID out    GRANTED
            """)
    }

    /// The gate's one relay opens the way it faces: an OUT read of a used ticket on an
    /// entrance gate must not pulse it (issue 15: one barcode every 3 s opened it forever).
    @Test func aGateOpensOnlyTheWayItFacesWithoutAnExitRelay() {
        var s = script(GatePolicy(gateName: "g"))
        s.run("""
            at 0      scan VALID        GRANTED
            at 5000   scan VALID out    DENIED direction_closed
            at 10000  scan VALID out    DENIED direction_closed
            at 15000  scan ANYAREA out  DENIED direction_closed
            at 20000  scan VALID        DENIED already_used
            """)
        var exit = script(GatePolicy(gateName: "x", direction: .out))
        exit.run("""
            at 0      scan VALID out    GRANTED
            at 5000   scan ANYAREA in   DENIED direction_closed
            """)
        var gate = Gate(policy: GatePolicy(gateName: "g"), index: TicketIndex(tickets: Self.tickets))
        let read = Read(scanID: "o", rawBarcode: "VALID", source: "t", direction: .out, instant: .init(milliseconds: 0), time: Self.start)
        #expect(gate.decide(read)?.denial == .directionClosed(opens: .in))
    }

    /// Too long a barcode is refused before lookup or a realtime verdict, whatever its source,
    /// and the decision keeps only the first `maximumBarcodeBytes` of it.
    @Test func aBarcodeLongerThanTheMaximumIsRefused() {
        var gate = Gate(policy: GatePolicy(gateName: "g", maximumBarcodeBytes: 16), index: TicketIndex(tickets: Self.tickets))
        func read(_ b: String, _ ms: UInt64) -> Read {
            Read(scanID: "\(ms)", rawBarcode: b, source: "t", instant: .init(milliseconds: ms), time: Self.start)
        }
        let long = String(repeating: "ä", count: 20)
        let denied = gate.decide(read(long, 0), verdict: .granted(Ticket(id: "x", barcode: long)))
        #expect(denied?.denial == .barcodeTooLong(bytes: 40, maximum: 16), "\(String(describing: denied))")
        #expect(denied?.denial?.code == "barcode_too_long")
        #expect(denied?.barcode == String(repeating: "ä", count: 8))
        #expect(gate.decide(read("ANYAREA", 5000))?.outcome == .granted, "within the maximum")
        var standard = Gate(policy: GatePolicy(gateName: "g"), index: TicketIndex(tickets: Self.tickets))
        #expect(standard.decide(read(String(repeating: "A", count: 257), 0))?.denial?.code == "barcode_too_long", "256 by default")
        #expect(standard.decide(read(String(repeating: "A", count: 256), 0))?.denial?.code == "unknown_ticket")
    }

    @Test func alreadyUsedSaysWhenAndWhere() {
        var gate = Gate(policy: GatePolicy(gateName: "north-1"), index: TicketIndex(tickets: Self.tickets))
        let first = Read(scanID: "a", rawBarcode: "VALID", source: "t", instant: .init(milliseconds: 0), time: Self.start)
        let second = Read(scanID: "b", rawBarcode: "VALID", source: "t", instant: .init(milliseconds: 9000), time: Self.start.adding(milliseconds: 9000))
        _ = gate.decide(first)
        let denied = gate.decide(second)
        #expect(denied?.denial == .alreadyUsed(time: Self.start, gate: "north-1"))
    }

    @Test func aRedemptionFromAnotherGateCounts() {
        var s = script()
        s.gate.apply(RedemptionEvent(scanID: "other", barcode: "VALID", gate: "south-2", direction: .in, time: Self.start, origin: .peer))
        s.run("at 0 scan VALID DENIED already_used")
    }

    @Test func aRevokedRedemptionFreesTheTicket() {
        var s = script()
        s.run("at 0 scan VALID GRANTED")
        let revoked = s.gate.revoke(scanID: "scan-1")
        #expect(revoked)
        s.run("at 100 scan VALID GRANTED")
    }

    @Test func barcodesAreNormalizedBeforeLookup() {
        var s = script()
        s.gate.normalizer = BarcodeNormalizer(prefix: "]C1", suffix: "")
        s.run("at 0 scan ]C1VALID GRANTED")
        #expect(s.gate.decide(Read(scanID: "x", rawBarcode: " \r\n", source: "t", instant: .init(milliseconds: 1), time: Self.start)) == nil)
    }

    @Test func aSyncNeverForgetsLocalCheckIns() {
        var s = script()
        s.run("at 0 scan VALID GRANTED")
        s.gate.replaceIndex(TicketIndex(tickets: Self.tickets, generation: 2))
        s.run("at 10000 scan VALID DENIED already_used")
    }

    @Test func cancelledBySyncStopsAdmitting() {
        var s = script()
        var cancelled = Self.tickets[0]
        cancelled.status = .cancelled
        s.gate.replaceIndex(s.gate.index.applying(changes: [cancelled]))
        s.run("at 0 scan VALID DENIED cancelled")
    }

    @Test func realtimeVerdictsRefineTheLocalDecision() {
        var gate = Gate(policy: GatePolicy(gateName: "g"), index: TicketIndex(tickets: Self.tickets))
        func read(_ b: String, _ ms: UInt64) -> Read {
            Read(scanID: "\(b)-\(ms)", rawBarcode: b, source: "t", instant: .init(milliseconds: ms), time: Self.start)
        }
        let fresh = Ticket(id: "99", barcode: "SOLDNOW", typeName: "Walk-up")
        #expect(gate.decide(read("SOLDNOW", 0), verdict: .granted(fresh))?.outcome == .granted, "sold a minute ago")
        #expect(gate.decide(read("VALID", 0), verdict: .denied("checked in elsewhere"))?.denial == .rejectedByBackend(message: "checked in elsewhere"))
        #expect(gate.decide(read("ANYAREA", 0), verdict: .granted(nil))?.outcome == .granted)
        #expect(gate.decide(read("ANYAREA", 5000), verdict: .granted(nil))?.denial?.code == "already_used", "a local use stands")
        #expect(gate.decide(read("NOSUCH", 0), verdict: nil)?.denial == .unknownTicket, "no answer in time: local decision")
    }
}
