import AdmitBackends
import AdmitCore
import AdmitFakes
import Testing

/// A careless backend quotes back every request it gets (token header, key in the query,
/// password in the body): no adapter's error may carry the secret into a log line or
/// `admitctl status`, and settings never print it.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SecretRedactionTests {
    static let secret = "s3cr3t-T0ken-9f8e7d"
    let context = BackendContext(serverNow: { nil }, observeServerTime: { _ in })

    private func expectRedacted(_ error: any Error, _ who: String) {
        let text = "\(error)"
        #expect(!text.contains(Self.secret), "\(who): \(text)")
        #expect(text.contains(Redacted.mark), "\(who) quotes the request but shows no redaction: \(text)")
    }

    private func failure(_ body: () async throws -> Void) async -> (any Error)? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    @Test func everyAdapterBlanksTheSecretOutOfItsErrors() async throws {
        let echo = EchoFake(status: 400)
        _ = try await echo.start()
        let vivenu = VivenuBackend(
            settings: VivenuSettings(baseURL: echo.baseURL, token: Self.secret, eventID: "ev", deviceID: "g", requestTimeoutMilliseconds: 2000),
            context: context)
        let acme = AcmeBackend(
            settings: AcmeSettings(baseURL: echo.baseURL, apiKey: Self.secret, eventID: "ev", deviceID: "g", requestTimeoutMilliseconds: 2000),
            context: context)
        let eventyay = EventyayBackend(
            settings: EventyaySettings(baseURL: echo.baseURL, key: Self.secret, organizer: "o", event: "e", requestTimeoutMilliseconds: 2000,
                                       downloadTimeoutMilliseconds: 2000),
            context: context)
        let audienceView = AudienceViewBackend(
            settings: AudienceViewSettings(baseURL: echo.baseURL, username: "gate", password: Self.secret, clientID: 1,
                                           requestTimeoutMilliseconds: 2000, downloadTimeoutMilliseconds: 2000),
            context: context)
        for (name, backend) in [("vivenu", vivenu), ("acme", acme), ("eventyay", eventyay), ("audienceview", audienceView)] as [(String, any TicketBackend)] {
            let sync = await failure { _ = try await backend.sync(from: .initial) { _ in } }
            expectRedacted(try #require(sync, "\(name) sync failed to fail"), name)
        }
        let realtime = await failure { _ = try await vivenu.check(barcode: "x", direction: .in, budgetMilliseconds: 2000) }
        expectRedacted(try #require(realtime), "vivenu realtime")
        #expect(echo.requestCount >= 5)
        try await echo.stop()
    }

    @Test func anUnreachableBackendsErrorDoesNotShowTheKeyInItsURL() async throws {
        let eventyay = EventyayBackend(
            settings: EventyaySettings(baseURL: "http://127.0.0.1:1", key: Self.secret, organizer: "o", event: "e",
                                       requestTimeoutMilliseconds: 1000, downloadTimeoutMilliseconds: 1000),
            context: context)
        let error = await failure { _ = try await eventyay.sync(from: .initial) { _ in } }
        #expect(!"\(try #require(error))".contains(Self.secret))
    }

    @Test func settingsPrintWithoutTheirSecrets() {
        let settings: [Any] = [
            VivenuSettings(baseURL: "https://v", token: Self.secret, eventID: "e", deviceID: "g"),
            AcmeSettings(baseURL: "https://a", apiKey: Self.secret, eventID: "e", deviceID: "g"),
            EventyaySettings(baseURL: "https://e", key: Self.secret, organizer: "o", event: "e"),
            AudienceViewSettings(baseURL: "https://av", username: "u", password: Self.secret, clientID: 1),
        ]
        for value in settings {
            var dumped = ""
            dump(value, to: &dumped)
            for text in [String(describing: value), String(reflecting: value), dumped] {
                #expect(!text.contains(Self.secret), "\(text)")
                #expect(text.contains(Redacted.mark), "\(text)")
            }
        }
        // …while the adapters still get the real value.
        #expect(VivenuSettings(baseURL: "v", token: Self.secret, eventID: "e", deviceID: "g").token == Self.secret)
    }

    @Test func redactionMatchesBytesSoNothingHidesOrHalvesASecret() {
        let reader = AnswerReader(backend: "vivenu", secrets: [Self.secret, "a b&c"])
        // A combining accent after the secret makes a different Character, not different bytes.
        #expect(reader.redact("x\(Self.secret)\u{301} y") == "x<redacted>\u{301} y")
        // The percent-escaped form (in a URL or a form body) is blanked too.
        #expect(reader.redact("?key=a%20b%26c&x=1") == "?key=<redacted>&x=1")
        // A quoted body is cut after the redaction, never through a secret.
        for before in [280, 290, 295, 299] {
            let body = String(repeating: "x", count: before) + Self.secret + "tail"
            do {
                try reader.check(BackendResponse(status: 400, body: Array(body.utf8)), label: "GET x")
            } catch {
                #expect(!error.message.contains("s3cr"), "\(error.message)")
            }
        }
    }
}
