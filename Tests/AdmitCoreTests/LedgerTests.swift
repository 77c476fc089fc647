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

    @Test func orderOfArrivalDoesNotMatter() {
        let events = [event("1", .in, at: 10), event("2", .out, at: 20), event("3", .in, at: 30)]
        let forward = RedemptionLedger(events: events)
        let backward = RedemptionLedger(events: events.reversed())
        #expect(forward.presence(of: "B") == backward.presence(of: "B"))
        #expect(forward.presence(of: "B")?.inside == true)
        #expect(forward.insideCount == 1)
    }
}
