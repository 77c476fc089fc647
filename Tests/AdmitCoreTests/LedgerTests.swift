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
}
