import AdmitCore
import AdmitStore
import Testing

@Suite struct TicketSnapshotTests {
    let tickets = (0..<10).map { Ticket(id: "t\($0)", barcode: "B\($0)", typeName: "Adult", typeID: "tt1", category: "C", areas: ["north", "south"], validFrom: Timestamp(millisecondsSince1970: 1), entriesAllowed: 2, message: $0 == 3 ? "VIP" : nil) }

    @Test func pagesAndCursorAreStoredTogether() throws {
        let snapshot = try TicketSnapshot(path: temporaryPath("tickets.sqlite"))
        var cursor = try snapshot.cursor(backend: "x:1")
        #expect(cursor == .initial)
        cursor.resumeOffset = 5
        try snapshot.store(Array(tickets[..<5]), cursor: cursor, backend: "x:1")
        #expect(try snapshot.cursor(backend: "x:1").resumeOffset == 5)
        #expect(try snapshot.loadAll().sorted { $0.id < $1.id } == Array(tickets[..<5]))
    }

    /// The cold start reads barcode ranges side by side and merges what each packed: the
    /// table holds every ticket exactly as stored, profiles and messages included.
    @Test(arguments: [1, 2, 3]) func theTableReadOnSeveralCoresHoldsEveryTicket(parts: Int) throws {
        let snapshot = try TicketSnapshot(path: temporaryPath("tickets.sqlite"))
        let many = (0..<25_000).map { i in
            Ticket(id: "t\(i)", barcode: String(i * 7919 % 1_000_003), status: i % 11 == 0 ? .cancelled : .valid,
                   typeName: ["Adult", "Child", "VIP"][i % 3], typeID: "tt\(i % 3)", category: i % 2 == 0 ? "A" : "B",
                   areas: i % 5 == 0 ? [] : ["north", "south"].suffix(i % 2 + 1), entriesAllowed: 1 + i % 2,
                   message: i % 997 == 0 ? "see the box office (\(i))" : nil)
        }
        try snapshot.store(many, cursor: .initial, backend: "x")
        let table = try snapshot.loadTable(parts: parts)
        #expect(table.count == many.count)
        #expect(many.filter { table.lookup($0.barcode) != $0 }.isEmpty)
        #expect(table.lookup("no such barcode") == nil)
    }

    @Test func aCompletedFullLoadDropsTicketsItDidNotSee() throws {
        let snapshot = try TicketSnapshot(path: temporaryPath("tickets.sqlite"))
        try snapshot.store(tickets, cursor: .initial, backend: "x")
        let second = SyncCursor(loadNumber: 2, fullLoadComplete: true, resumeOffset: 0, windowStart: nil, extra: nil)
        try snapshot.store(Array(tickets[..<3]), cursor: second, backend: "x")
        let removed = try snapshot.completeFullLoad(cursor: second, backend: "x")
        #expect(removed.count == 7)
        #expect(try snapshot.count() == 3)
    }

    @Test func anotherBackendOrEventStartsFromScratch() throws {
        let snapshot = try TicketSnapshot(path: temporaryPath("tickets.sqlite"))
        var done = SyncCursor.initial
        done.fullLoadComplete = true
        try snapshot.store(tickets, cursor: done, backend: "vivenu:event-a")
        #expect(try snapshot.cursor(backend: "vivenu:event-b") == .initial)
        #expect(try snapshot.count() == 0)
    }
}
