import AdmitCore
import Foundation
import Synchronization

/// What a strict-mode claim found.
public enum ClaimVerdict: Sendable, Equatable {
    /// This gate holds the ticket's next use: GRANTED stands.
    case claimed
    /// Another gate used it up: DENIED, already used there.
    case usedElsewhere(gate: String, time: Timestamp)
    /// No verdict (server unreachable, contention): the local decision stands, unconfirmed.
    case unconfirmed(String)
}

/// Strict mode: claims each ticket in the event's key-value bucket before GRANTED.
///
/// The key is the ticket (`MeshNames.claimKey`), the value who used it last and a counter:
/// `{gate, scan, time, entries, inside}`. The first use creates the key (create-if-absent: the
/// first writer wins, one round trip). A later use reads the key and, if the ticket still
/// allows it (fewer `entries` than allowed; with re-entry: not `inside`), writes the next value
/// with compare-and-set on the revision it read; losing the race reads again. An exit (with
/// re-entry) or a visitor who did not pass sets `inside` back the same way. Every call blocks
/// its thread; the gate holds it to a hard budget from outside.
public final class MeshClaims: Sendable {
    private let connection: NatsConnection
    private let names: MeshNames
    private let replicas: Int
    private let bucket = Mutex<KeyValueBucket?>(nil)

    /// Claims in `names.claimsBucket`, made with `replicas` when absent.
    public init(connection: NatsConnection, names: MeshNames, replicas: Int) {
        self.connection = connection
        self.names = names
        self.replicas = replicas
    }

    struct Holder: Codable, Equatable {
        var gate: String
        var scan: String
        var time: Int64
        var entries: Int
        var inside: Bool

        var text: String { (try? String(decoding: JSONEncoder().encode(self), as: UTF8.self)) ?? "{}" }
        init(gate: String, scan: String, time: Int64, entries: Int, inside: Bool) {
            (self.gate, self.scan, self.time, self.entries, self.inside) = (gate, scan, time, entries, inside)
        }
        init?(_ text: String) {
            guard let value = try? JSONDecoder().decode(Holder.self, from: Data(text.utf8)) else { return nil }
            self = value
        }
    }

    private func open() throws(NatsError) -> KeyValueBucket {
        if let open = bucket.withLock({ $0 }) { return open }
        let made = try KeyValueBucket(connection, name: names.claimsBucket, replicas: replicas)
        bucket.withLock { $0 = made }
        return made
    }

    /// Claims the next entry of `barcode` for scan `scanID` at `gate`.
    public func claim(
        barcode: String, scanID: String, gate: String, time: Timestamp, entriesAllowed: Int, allowsReentry: Bool
    ) -> ClaimVerdict {
        guard connection.isConnected else { return .unconfirmed("not connected") }
        let key = MeshNames.claimKey(barcode)
        do {
            let kv = try open()
            for _ in 0..<8 {
                let first = Holder(gate: gate, scan: scanID, time: time.millisecondsSince1970, entries: 1, inside: true)
                do {
                    _ = try kv.create(key, value: first.text)
                    return .claimed
                } catch where error.code == .keyExists {}
                guard let entry = try kv.get(key) else { continue }
                guard let held = Holder(entry.value) else { return .unconfirmed("the claim of \(barcode) is unreadable") }
                if held.scan == scanID { return .claimed }
                let refused = allowsReentry ? held.inside : held.entries >= max(entriesAllowed, 1)
                if refused { return .usedElsewhere(gate: held.gate, time: Timestamp(millisecondsSince1970: held.time)) }
                let next = Holder(gate: gate, scan: scanID, time: time.millisecondsSince1970, entries: held.entries + 1, inside: true)
                do {
                    _ = try kv.update(key, value: next.text, last: entry.revision)
                    return .claimed
                } catch where error.code == .wrongRevision {}
            }
            return .unconfirmed("the claim of \(barcode) kept changing")
        } catch {
            return .unconfirmed("\(error)")
        }
    }

    /// The ticket left (an exit) or did not pass (`undoing` its scan): `inside` is set back, and
    /// for a scan that did not pass its entry is given back. Best effort; false when it could not.
    @discardableResult
    public func release(barcode: String, undoing scanID: String? = nil) -> Bool {
        let key = MeshNames.claimKey(barcode)
        do {
            let kv = try open()
            for _ in 0..<8 {
                guard let entry = try kv.get(key), var held = Holder(entry.value) else { return false }
                if let scanID {
                    guard held.scan == scanID else { return false }
                    held.entries = max(0, held.entries - 1)
                }
                held.inside = false
                do {
                    _ = try kv.update(key, value: held.text, last: entry.revision)
                    return true
                } catch where error.code == .wrongRevision {}
            }
        } catch {}
        return false
    }
}
