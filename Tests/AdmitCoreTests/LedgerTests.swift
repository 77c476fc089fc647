import AdmitCore
import Testing

@Suite struct LedgerTests {
    func event(_ id: String, _ direction: Direction, at seconds: Int64, gate: String = "g") -> RedemptionEvent {
        RedemptionEvent(scanID: id, barcode: "B", gate: gate, direction: direction, time: Timestamp(secondsSince1970: seconds), origin: .local)
    }

    @Test func applyingTwiceChangesNothing() {
        var ledger = RedemptionLedger()
        let first = ledger.apply(event("1", .in, at: 10))
        let second = ledger.apply(event("1", .in, at: 10))
        #expect(first && !second)
        #expect(ledger.presence(of: "B")?.entries == 1)
    }

    @Test func lateEventsDoNotOverrideNewerOnes() {
        var ledger = RedemptionLedger()
        ledger.apply(event("2", .out, at: 20))
        ledger.apply(event("1", .in, at: 10, gate: "other"))
        let p = ledger.presence(of: "B")
        #expect(p?.inside == false)
        #expect(p?.entries == 1)
        #expect(p?.lastEntry?.gate == "other")
    }

    @Test func aBackendsUsedFlagDoesNotCountAnEntryTwiceNorUndoAnExit() {
        var reported = event("eventyay-redeemed:B", .in, at: 25, gate: "eventyay")
        reported.origin = .backend
        let events = [event("1", .in, at: 10), event("2", .out, at: 20), reported]
        for order in [events, events.reversed()] {
            let p = RedemptionLedger(events: order).presence(of: "B")
            #expect(p?.entries == 1 && p?.inside == false, "the report is this gate's entry coming back")
            #expect(p?.lastEntry?.gate == "g")
        }
        let alone = RedemptionLedger(events: [reported]).presence(of: "B")
        #expect(alone?.entries == 1 && alone?.inside == true, "used elsewhere: the report counts")
        let exitOnly = RedemptionLedger(events: [reported, event("3", .out, at: 30)]).presence(of: "B")
        #expect(exitOnly?.entries == 1, "an exit alone does not cancel the reported use")
    }

    @Test func orderOfArrivalDoesNotMatter() {
        let events = [event("1", .in, at: 10), event("2", .out, at: 20), event("3", .in, at: 30)]
        let forward = RedemptionLedger(events: events)
        let backward = RedemptionLedger(events: events.reversed())
        #expect(forward.presence(of: "B") == backward.presence(of: "B"))
        #expect(forward.presence(of: "B")?.inside == true)
        #expect(forward.insideCount == 1)
    }

    /// The counter against a walk of every ticket, through entries, exits, revokes and
    /// sync-learned (backend) uses that arrive late or twice.
    @Test func insideCountFollowsEntriesExitsRevokesAndSyncs() {
        var ledger = RedemptionLedger()
        func use(_ id: String, _ barcode: String, _ direction: Direction, at seconds: Int64, _ origin: RedemptionOrigin = .local) {
            ledger.apply(RedemptionEvent(
                scanID: id, barcode: barcode, gate: "g", direction: direction,
                time: Timestamp(secondsSince1970: seconds), origin: origin))
        }
        func walked() -> Int { ["A", "B", "C", "D"].filter { ledger.presence(of: $0)?.inside == true }.count }
        use("1", "A", .in, at: 10)
        use("2", "B", .in, at: 11)
        #expect(ledger.insideCount == 2 && walked() == 2)
        use("3", "A", .out, at: 12)
        use("3", "A", .out, at: 12)
        #expect(ledger.insideCount == 1 && walked() == 1, "an exit, applied twice, counts once")
        use("4", "C", .in, at: 5, .backend)
        #expect(ledger.insideCount == 2 && walked() == 2, "a use learned by a sync")
        use("5", "C", .out, at: 6, .peer)
        use("6", "A", .in, at: 8)
        #expect(ledger.insideCount == 1 && walked() == 1, "late events older than the newest change nothing for A")
        ledger.revoke(scanID: "3")
        #expect(ledger.insideCount == 2 && walked() == 2, "revoking A's exit puts A back inside")
        ledger.revoke(scanID: "2")
        ledger.revoke(scanID: "2")
        #expect(ledger.insideCount == 1 && walked() == 1)
        use("7", "D", .out, at: 20)
        #expect(ledger.insideCount == 1 && walked() == 1, "an exit alone puts nobody inside")
        let rebuilt = RedemptionLedger(events: [
            RedemptionEvent(scanID: "x", barcode: "A", gate: "g", direction: .in, time: Timestamp(secondsSince1970: 1), origin: .local)
        ])
        #expect(rebuilt.insideCount == 1, "a ledger built from stored events")
    }

    /// `status` reads the count on every call: it must not walk the ledger. Reading it
    /// 2 000 times over 50 000 tickets is a hundred million presence walks if it does.
    @Test(.timeLimit(.minutes(1))) func insideCountDoesNotWalkTheLedger() {
        var ledger = RedemptionLedger()
        for n in 0..<50_000 {
            ledger.apply(RedemptionEvent(
                scanID: "s\(n)", barcode: "B\(n)", gate: "g", direction: .in,
                time: Timestamp(secondsSince1970: 10), origin: .local))
        }
        let clock = ContinuousClock()
        var total = 0
        let elapsed = clock.measure { for _ in 0..<2_000 { total &+= ledger.insideCount } }
        #expect(total == 50_000 * 2_000)
        #expect(elapsed < .seconds(2), "insideCount took \(elapsed) for 2 000 reads")
    }
}
