import AdmitCore
import Foundation

/// One request on the control socket: a JSON object on one line, e.g. `{"cmd":"status"}`.
public struct ControlRequest: Codable, Sendable, Equatable {
    /// The command: status, scan, recent, sync, flush, devices, metrics, reload, events, mesh.
    public var cmd: String
    /// For `scan`: the barcode to decide.
    public var barcode: String?
    /// For `scan`: "in" or "out", overriding the gate's direction.
    public var direction: String?
    /// For `recent`: how many decisions (default 20).
    public var limit: Int?
    /// For `recent`: true lists the scans the backend refused (from the journal) instead.
    public var rejected: Bool?

    /// Creates a request.
    public init(cmd: String, barcode: String? = nil, direction: String? = nil, limit: Int? = nil, rejected: Bool? = nil) {
        self.cmd = cmd
        self.barcode = barcode
        self.direction = direction
        self.limit = limit
        self.rejected = rejected
    }
}

/// A decision as the control socket reports it.
public struct DecisionReport: Codable, Sendable, Equatable {
    public var scanId: String
    public var barcode: String
    /// "GRANTED" or "DENIED".
    public var result: String
    /// The denial reason code (e.g. "already_used"), nil when granted.
    public var reason: String?
    /// The reason in words, or the ticket type for a GRANTED.
    public var detail: String
    public var ticketId: String?
    public var ticketType: String?
    public var gate: String
    public var direction: String
    public var source: String
    /// ISO 8601 time of the read (best known time).
    public var time: String
    /// True for a repeat read inside the debounce window.
    public var `repeat`: Bool
    /// Microseconds the gate took to decide.
    public var latencyUs: Double
    /// Where the scan stands with the backend: "pending", "uploaded", "rejected" (refused
    /// for good) or "skipped" (a kind of scan the backend does not take); nil for a repeat
    /// read (never recorded) or where the journal could not be read.
    public var upload: String?
    /// The backend's reason for a rejected scan, or the last failure of a pending one.
    public var uploadNote: String?

    /// A report from its fields (the daemon builds one from a `Decision`).
    public init(
        scanId: String, barcode: String, result: String, reason: String?, detail: String, ticketId: String?,
        ticketType: String?, gate: String, direction: String, source: String, time: String, repeat: Bool,
        latencyUs: Double
    ) {
        self.scanId = scanId
        self.barcode = barcode
        self.result = result
        self.reason = reason
        self.detail = detail
        self.ticketId = ticketId
        self.ticketType = ticketType
        self.gate = gate
        self.direction = direction
        self.source = source
        self.time = time
        self.repeat = `repeat`
        self.latencyUs = latencyUs
    }
}

/// The answer to `status`.
public struct StatusReport: Codable, Sendable, Equatable {
    public var ok = true
    /// "starting", "ready" or "stopping".
    public var state: String
    /// "green", "amber" or "red", with `healthReason` saying why.
    public var health: String
    public var healthReason: String
    public var gate: String
    public var direction: String
    public var area: String?
    public var backend: String
    public var tickets: Int
    public var indexGeneration: Int
    public var granted: Int
    public var denied: Int
    public var repeats: Int
    public var inside: Int
    public var pendingScans: Int
    /// ISO 8601 server time of the last successful sync, nil before the first.
    public var lastSync: String?
    /// The last backend error, nil when the last attempt worked.
    public var lastError: String?
    /// Scans the backend refused for good (`admitctl recent --rejected` lists them).
    public var rejectedScans: Int? = nil
    /// The backend's own counts, where it reports them (eventyay `status/`).
    public var backendStatus: BackendStatusReport? = nil
    /// Backend settings that change decisions (eventyay's `questions`); nil when none.
    public var backendNotes: [String]? = nil
    public var scanners: Int
    public var uptimeS: Int
    public var version: String
    /// The outputs in use, one per line ("relay /dev/gpiochip0:17"); nil without GPIO.
    public var outputs: [String]? = nil
    /// The mesh (other gates over NATS), where `[mesh]` is configured.
    public var mesh: MeshReport? = nil

    /// A report from its fields.
    public init(
        state: String, health: String, healthReason: String, gate: String, direction: String, area: String?,
        backend: String, tickets: Int, indexGeneration: Int, granted: Int, denied: Int, repeats: Int, inside: Int,
        pendingScans: Int, lastSync: String?, lastError: String?, rejectedScans: Int? = nil,
        backendStatus: BackendStatusReport? = nil, backendNotes: [String]? = nil, scanners: Int, uptimeS: Int,
        version: String, outputs: [String]? = nil
    ) {
        self.state = state
        self.health = health
        self.healthReason = healthReason
        self.gate = gate
        self.direction = direction
        self.area = area
        self.backend = backend
        self.tickets = tickets
        self.indexGeneration = indexGeneration
        self.granted = granted
        self.denied = denied
        self.repeats = repeats
        self.inside = inside
        self.pendingScans = pendingScans
        self.lastSync = lastSync
        self.lastError = lastError
        self.rejectedScans = rejectedScans
        self.backendStatus = backendStatus
        self.backendNotes = backendNotes
        self.scanners = scanners
        self.uptimeS = uptimeS
        self.version = version
        self.outputs = outputs
    }
}

/// The answer to `scan`.
public struct ScanResponse: Codable, Sendable {
    public var ok = true
    public var decision: DecisionReport?

    /// The answer with `decision`.
    public init(decision: DecisionReport?) { self.decision = decision }
}

/// The answer to `recent`.
public struct RecentResponse: Codable, Sendable {
    public var ok = true
    public var decisions: [DecisionReport]

    /// The answer with `decisions`, newest first.
    public init(decisions: [DecisionReport]) { self.decisions = decisions }
}

/// The answer to a command that only reports that it ran (sync, flush, reload).
public struct DoneResponse: Codable, Sendable {
    public var ok = true
    public var message: String

    /// The answer saying `message`.
    public init(message: String) { self.message = message }
}

/// The answer to a request that could not be served.
public struct ErrorResponse: Codable, Sendable {
    public var ok = false
    public var error: String

    /// The answer refusing with `error`.
    public init(error: String) { self.error = error }
}

/// JSON coding shared by the daemon and `admitctl`: snake_case keys, sorted, one line.
public enum ControlJSON {
    /// Encodes a response as one line of JSON (no trailing newline).
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array(#"{"ok":false,"error":"encoding failed"}"#.utf8)
    }

    /// Decodes a line of JSON.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(bytes))
    }
}
