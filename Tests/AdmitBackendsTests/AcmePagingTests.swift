import AdmitBackendCore
import AdmitBackends
import AdmitCore
import Testing

/// ACME's page envelope as its "Pagination" article documents it (docs/backends/acme.md):
/// `{"list": [...], "pagination": {..., "count"}}`, paged until `count` is reached.
@Suite(.serialized) struct AcmePagingTests {
    static let answers = AcmeAnswers(reader: AnswerReader(backend: "acme"))

    static func response(_ json: String) -> BackendResponse {
        BackendResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(json.utf8))
    }

    /// 300 barcodes in pages of 100: the third page is full, and `count` says it is the last,
    /// so no fourth (empty) page is asked for.
    @Test func pagesStopWhereACMEsCountIsReached() async throws {
        let rig = try await AcmeRig.start(tickets: 300, pageSize: 100)
        let cursor = try await rig.sync(from: .initial)
        #expect(cursor.fullLoadComplete)
        #expect(Set(rig.recorder.tickets.map(\.barcode)).count == 300)
        #expect(rig.fake.requestCount(path: "/barcodes") == 3, "pages 1–3 and no more")
        await rig.stop()
    }

    @Test func theDocumentedEnvelopeIsRead() throws {
        let page = try Self.answers.barcodePage(
            Self.response("""
                {"list": [{"barcode": "A1", "status": "new", "active": true}, {"barcode": "A2", "status": "converted", "active": true}],
                 "pagination": {"page": 2, "pageSize": 2, "sortDirection": "asc", "sortField": "createdOn", "count": 5}}
                """), label: "GET v2/b2b/barcodes")
        #expect(page.tickets.map(\.barcode) == ["A1", "A2"])
        #expect(page.redemptions.map(\.barcode) == ["A2"])
        #expect(page.total == 5 && page.pageSize == 2)
        #expect(!page.isLast(page: 2, requestedPageSize: 100), "2 × 2 < 5: ACME's own page size counts, not the one asked for")
        #expect(page.isLast(page: 3, requestedPageSize: 100))
    }

    /// The shape the adapter used to guess (and its fake served) is refused, naming what is
    /// missing; so is a page without its total.
    @Test func anAnswerOutsideTheEnvelopeIsMalformed() {
        for json in [
            #"{"page": 1, "pageSize": 100, "totalCount": 1, "items": [{"barcode": "A1"}]}"#,
            #"[{"barcode": "A1"}]"#,
            #"{"list": [{"barcode": "A1"}], "pagination": {"page": 1, "pageSize": 100}}"#,
        ] {
            #expect {
                try Self.answers.barcodePage(Self.response(json), label: "GET v2/b2b/barcodes")
            } throws: { error in
                guard let error = error as? BackendError, error.kind == .malformed else { return false }
                return "\(error)".contains("list") || "\(error)".contains("count")
            }
        }
    }
}
