import AdmitBackendCore
import AdmitCore

/// A backend answer as a fuzz input: an optional first line `<endpoint> <status>` (e.g.
/// `tickets 200`), then the body. An unknown endpoint word still picks one, by its bytes,
/// and a missing status is 200, so every input is an answer to something.
struct BackendInput {
    /// The secret every fuzzed adapter holds; no error may quote it.
    static let secret = "fuzz-secret-Zq7Lx"

    /// Which of the target's endpoints answered.
    let endpoint: String
    /// The answer.
    let response: BackendResponse

    init(_ bytes: [UInt8], endpoints: [String]) {
        var header: ArraySlice<UInt8> = []
        var body = bytes[...]
        if let newline = bytes.prefix(64).firstIndex(of: 10) {
            header = bytes[..<newline]
            body = bytes[(newline + 1)...]
        }
        let words = header.split(separator: 32).map { String(decoding: $0, as: UTF8.self) }
        let named = words.first.flatMap { endpoints.contains($0) ? $0 : nil }
        endpoint = named ?? endpoints[header.reduce(0) { ($0 + Int($1)) % endpoints.count }]
        let status = words.count > 1 ? Int(words[1]).map { min(599, max(100, $0)) } ?? 200 : 200
        response = BackendResponse(status: status, body: Array(body))
    }

    /// A reader for `backend` that must never quote `secret`.
    static func reader(_ backend: String) -> AnswerReader { AnswerReader(backend: backend, secrets: [secret]) }

    /// Runs one answer's reading: a `BackendError` is fine, but it must not quote the secret.
    static func expectingErrors(_ body: () throws(BackendError) -> Void) {
        do {
            try body()
        } catch {
            expect(!error.description.utf8.containsSequence(Array(secret.utf8)), "an error quotes the secret: \(error)")
        }
    }

    /// What the daemon does with learned redemptions: logs and stores their times.
    static func use(_ redemptions: [RedemptionEvent]) {
        for event in redemptions {
            expect(!event.scanID.isEmpty, "a redemption without a scan id")
            _ = ISO8601.format(event.time)
        }
    }
}

extension Collection where Element: Equatable {
    /// True when `needle` occurs in this collection as a contiguous run.
    func containsSequence(_ needle: [Element]) -> Bool {
        guard !needle.isEmpty, count >= needle.count else { return needle.isEmpty }
        var start = startIndex
        while distance(from: start, to: endIndex) >= needle.count {
            if self[start...].starts(with: needle) { return true }
            start = index(after: start)
        }
        return false
    }
}
