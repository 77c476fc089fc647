import AdmitCore
import Testing

@Suite struct TicketIndexTests {
    @Test func findsEveryTicketAndNothingElse() {
        let tickets = (0..<10_000).map { Ticket(id: "id\($0)", barcode: "BC\($0 * 7919)", typeName: "T\($0 % 3)") }
        let index = TicketIndex(tickets: tickets)
        #expect(index.count == 10_000)
        for t in tickets { #expect(index.lookup(t.barcode) == t) }
        #expect(index.lookup("BC1") == nil)
        #expect(index.lookup("") == nil)
    }

    @Test func keepsEveryFieldThroughTheCompactTable() {
        let t = Ticket(
            id: "abc", barcode: "X-1 ü", status: .blocked, typeName: "VIP", category: "Seated",
            areas: ["a", "b"], validFrom: Timestamp(secondsSince1970: 1), validUntil: Timestamp(secondsSince1970: 2),
            entriesAllowed: 3, message: "see box office")
        #expect(TicketIndex(tickets: [t]).lookup("X-1 ü") == t)
    }

    @Test func theLaterOfTwoTicketsWithOneBarcodeWins() {
        let index = TicketIndex(tickets: [Ticket(id: "1", barcode: "B"), Ticket(id: "2", barcode: "B")])
        #expect(index.lookup("B")?.id == "2")
        #expect(index.allTickets.count == 1)
    }

    @Test func deltasOverlayTheBaseAndRemovalsHide() {
        let index = TicketIndex(tickets: [Ticket(id: "1", barcode: "A"), Ticket(id: "2", barcode: "B")])
        let next = index.applying(changes: [Ticket(id: "1", barcode: "A", status: .cancelled), Ticket(id: "3", barcode: "C")], removedBarcodes: ["B"])
        #expect(next.generation == index.generation + 1)
        #expect(next.lookup("A")?.status == .cancelled)
        #expect(next.lookup("B") == nil)
        #expect(next.lookup("C")?.id == "3")
        #expect(next.count == 2)
        #expect(index.lookup("A")?.status == .valid)  // the old generation is untouched
    }

    @Test func largeOverlaysAreCompacted() {
        let index = TicketIndex(tickets: (0..<100).map { Ticket(id: "\($0)", barcode: "B\($0)") })
        let next = index.applying(changes: (0..<5000).map { Ticket(id: "n\($0)", barcode: "N\($0)") })
        #expect(next.overlay.isEmpty)
        #expect(next.count == 5100)
        #expect(next.lookup("N4999")?.id == "n4999")
        #expect(next.lookup("B99")?.id == "99")
    }
}
