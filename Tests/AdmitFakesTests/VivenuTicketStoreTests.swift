import AdmitCore
import Testing

@testable import AdmitFakes

@Test func windowUsesTheIndexesAndSkipsStaleRevisions() {
    var store = VivenuTicketStore()
    let t0 = Timestamp(millisecondsSince1970: 1_000)
    store.upsert(sampleTickets(1000), now: t0)
    store.upsert([sampleTickets(1, from: 500)[0]], now: t0.adding(milliseconds: 10))
    store.upsert([sampleTickets(1, from: 500)[0]], now: t0.adding(milliseconds: 20))
    #expect(store.window(from: t0.adding(milliseconds: 10), until: t0.adding(milliseconds: 20)).count == 0)
    #expect(store.window(from: t0.adding(milliseconds: 20), until: nil).count == 1)
    // Created in [t0, t0+1) and updated later: still in that window, by createdAt.
    #expect(store.window(from: t0, until: t0.adding(milliseconds: 1)).count == 1000)
    #expect(store.window(from: nil, until: nil).count == 1000)
    // A clock set backwards keeps the index sorted.
    store.upsert(sampleTickets(1, from: 2000), now: Timestamp(millisecondsSince1970: 0))
    let early = store.window(from: nil, until: t0)
    #expect(early.count == 1 && early[0] == 1000)
}
