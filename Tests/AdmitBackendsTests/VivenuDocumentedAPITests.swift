import AdmitBackendCore
import AdmitBackends
import AdmitCore
import AdmitFakes
import Foundation
import Synchronization
import Testing

/// The adapter against what vivenu documents (docs/backends/vivenu-access-control.md and
/// vivenu-portier.md), where it used to follow guesses its fake shared.
@Suite(.serialized, .timeLimit(.minutes(2))) struct VivenuDocumentedAPITests {
    /// "Create scans" is `POST /api/accessusers/scans/{eventId}`.
    @Test func scansArePostedUnderTheirEvent() async throws {
        let rig = try await VivenuRig.start(tickets: 5)
        let scan = ScanRecord(
            scanID: "d1", barcode: DemoEvent.barcode(1), ticketID: "t100001", gate: "north-1", direction: .in,
            outcome: .granted, reasonCode: nil, time: rig.fake.now, source: "x")
        #expect(try await rig.backend.upload([scan]) == [.accepted])
        #expect(rig.fake.requestCount(path: "/scans/\(DemoEvent.eventID)") == 1)
        #expect(rig.fake.receivedScans.map(\.barcode) == [DemoEvent.barcode(1)])
        await rig.stop()
    }

    /// A `tickets/v2` ticket with status DETAILSREQUIRED (the holder's details are missing) is
    /// blocked, not cancelled; INVALID is cancelled.
    @Test func detailsRequiredIsBlocked() throws {
        func status(_ text: String) throws -> TicketStatus {
            let json = #"{"_id":"t1","barcode":"B0000001","status":"\#(text)"}"#
            return try JSONDecoder().decode(VivenuTicket.self, from: Data(json.utf8)).ticket.status
        }
        #expect(try status("VALID") == .valid)
        #expect(try status("DETAILSREQUIRED") == .blocked)
        #expect(try status("INVALID") == .cancelled)
        #expect(try status("SOMETHINGNEW") == .cancelled)
    }

    /// Portier takes vivenu's API key as `Authorization: Bearer`; the access-user token is
    /// documented to work on /accessusers only, so a configured portier key is what is sent.
    @Test func portierIsCalledWithItsOwnKey() async throws {
        let portier = PortierFake(token: "portier-api-key", eventID: DemoEvent.eventID)
        _ = try await portier.start()
        let fake = VivenuFake(
            token: "secret-token", eventID: DemoEvent.eventID,
            tickets: DemoEvent(count: 5, now: Timestamp(millisecondsSince1970: 1_800_000_000_000)).tickets)
        _ = try await fake.start()
        let recorder = SyncRecorder()
        let backend = VivenuBackend(
            settings: VivenuSettings(
                baseURL: fake.baseURL, token: "secret-token", eventID: DemoEvent.eventID, deviceID: "north-1",
                portierURL: portier.baseURL, portierKey: "portier-api-key", requestTimeoutMilliseconds: 2000),
            context: recorder.context(clock: { fake.now }))
        portier.setClock(fake.now)
        let problems = Mutex<[String]>([])
        _ = try await backend.sync(from: .initial) { page in
            recorder.deliver(page)
            if let problem = page.problem { problems.withLock { $0.append(problem) } }
        }
        let seen = problems.withLock { $0 }
        #expect(seen.isEmpty, "\(seen)")
        #expect(portier.requestCount(path: "/api/scans") >= 1)
        let scan = ScanRecord(
            scanID: "p1", barcode: DemoEvent.barcode(2), ticketID: "t100002", ticketTypeID: "tt", gate: "north-1",
            direction: .in, outcome: .granted, reasonCode: nil, time: fake.now, source: "x")
        try await #require(backend.mirror).post([scan])
        #expect(portier.receivedScans.map(\.barcode) == [DemoEvent.barcode(2)])
        await backend.shutdown()
        try await fake.stop()
        try await portier.stop()
    }
}
