import AdmitCore
import Foundation

/// A response from a backend: status, headers, the whole body, and the server's `Date`.
public struct BackendResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The response headers, in the order received.
    public var headers: [(String, String)]
    /// The whole body.
    public var body: [UInt8]
    /// The server's clock at the response (HTTP `Date`), when sent.
    public var date: Timestamp?

    /// Creates a response.
    public init(status: Int, headers: [(String, String)] = [], body: [UInt8], date: Timestamp? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.date = date
    }
}

/// Reads what a backend answered, with no I/O: the status check and the JSON decoding every
/// adapter shares. Errors name the backend and the request and quote a little of the body,
/// with every configured secret blanked out (a server that echoes a request must not put a
/// token into the log or `admitctl status`).
package struct AnswerReader: Sendable {
    /// The backend, as errors name it.
    package let backend: String
    /// Strings that never appear in an error: tokens, keys, passwords.
    package let secrets: [String]
    private let secretBytes: [[UInt8]]

    /// A reader for `backend` that blanks out `secrets` (empty strings are ignored).
    package init(backend: String, secrets: [String] = []) {
        self.backend = backend
        self.secrets = Self.expand(secrets)
        secretBytes = self.secrets.map { Array($0.utf8) }
    }

    /// Throws the `BackendError` a non-2xx status stands for.
    package func check(_ response: BackendResponse, label: String) throws(BackendError) {
        switch response.status {
        case 200..<300: return
        case 401, 403: throw error(.unauthorized, label, "HTTP \(response.status): credentials refused")
        case 408, 429: throw error(.serverError, label, "HTTP \(response.status): \(snippet(response.body, 300))")
        case 400..<500: throw error(.rejected, label, "HTTP \(response.status): \(snippet(response.body, 300))")
        default: throw error(.serverError, label, "HTTP \(response.status): \(snippet(response.body, 300))")
        }
    }

    /// Decodes a JSON body, mapping failures to a `.malformed` error naming the request.
    package func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], label: String) throws(BackendError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw self.error(.malformed, label, "unreadable answer (\(error)): \(snippet(body, 120))")
        }
    }

    /// `check` then `decode`: the value of a successful JSON answer.
    package func json<T: Decodable>(_ type: T.Type, _ response: BackendResponse, label: String) throws(BackendError) -> T {
        try check(response, label: label)
        return try decode(type, response.body, label: label)
    }

    /// A `BackendError` for `label`, with secrets blanked out of its message.
    package func error(_ kind: BackendError.Kind, _ label: String, _ message: String) -> BackendError {
        BackendError(kind, backend: backend, request: redact(label), message: redact(message))
    }

    /// `text` with every secret replaced by `<redacted>`.
    package func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        return String(decoding: redacted(Array(text.utf8), upTo: .max), as: UTF8.self)
    }

    /// The start of a body as text, for error messages, at most `length` bytes of it after
    /// the secrets were blanked out.
    private func snippet(_ body: [UInt8], _ length: Int) -> String {
        String(decoding: redacted(body, upTo: length), as: UTF8.self)
    }

    /// `bytes` with each secret replaced by the mark, cut after `length` bytes of output.
    /// Matching bytes rather than characters: a combining character after a secret must
    /// not hide it, and a cut must not leave half of one standing.
    private func redacted(_ bytes: [UInt8], upTo length: Int) -> [UInt8] {
        let mark = Array(Redacted.mark.utf8)
        var output: [UInt8] = []
        var i = 0
        scanning: while i < bytes.count && output.count < length {
            for secret in secretBytes where bytes[i] == secret[0] && bytes[i...].starts(with: secret) {
                output += mark
                i += secret.count
                continue scanning
            }
            output.append(bytes[i])
            i += 1
        }
        return output.count > length ? Array(output.prefix(length)) : output
    }

    /// The secrets as they may travel: as given, and percent-escaped (in a URL or form).
    private static func expand(_ secrets: [String]) -> [String] {
        var all: [String] = []
        for secret in secrets where !secret.isEmpty {
            for form in [secret, FormEncoding.escape(secret)] where !all.contains(form) { all.append(form) }
        }
        // Longest first, so a secret that contains another is blanked whole.
        return all.sorted { $0.utf8.count > $1.utf8.count }
    }
}

/// How Admit writes a secret it will not show.
public enum Redacted {
    /// The text that stands in for a secret: `<redacted>`.
    public static let mark = "<redacted>"
}

/// HTTP dates (RFC 1123, `Sun, 06 Nov 1994 08:49:37 GMT`).
public enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses an RFC 1123 date; nil for anything else.
    public static func parse(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return ISO8601.parse("\(year)-\(two(monthIndex + 1))-\(two(day))T\(two(clock[0])):\(two(clock[1])):\(two(clock[2]))Z")
    }
}
