import AdmitBackendCore
import AdmitCore
import Foundation

/// How scans reach ACME. The spec documents no scan endpoint; its own example deactivates a
/// barcode with the message "Barcode was used on 1-12-2019.", so Admit does the same:
///
/// - Only GRANTED entries (direction in, with a known ticket) are sent; DENIED scans and exits
///   are `.skipped` and never touch ACME, so a refused scan can never deactivate a barcode.
/// - They go in batches through `PUT v2/b2b/barcodes/deactivations`, each item
///   `{barcode, code: 2, message: "Barcode was used on <time> at gate <gate> (Admit scan <id>)"}`.
/// - Idempotent: deactivating an already inactive barcode changes nothing at ACME, so a
///   re-sent batch after a lost reply is harmless. A barcode missing from the answer is
///   looked up: inactive (deactivated by an earlier attempt or by ACME) counts as accepted,
///   404 as rejected.
/// - A sync recognizes the message and turns it into a redemption with the same scan id, so
///   other gates refuse the ticket and this gate's own record merges with it; the barcode
///   itself stays a valid ticket locally, so exits and re-entries follow the gate's policy.
extension AcmeBackend {
    public func upload(_ scans: [ScanRecord]) async throws -> [UploadResult] {
        var results = [UploadResult](repeating: .skipped, count: scans.count)
        let entries = scans.indices.filter {
            scans[$0].outcome == .granted && scans[$0].direction == .in && scans[$0].ticketID != nil
        }
        guard !entries.isEmpty else { return results }
        let items = entries.map { i in
            Deactivation(barcode: scans[i].barcode, code: AcmeUsedMessage.code, message: AcmeUsedMessage.text(for: scans[i]))
        }
        let label = "PUT v2/b2b/barcodes/deactivations (\(items.count))"
        let response = try await http.send(
            .PUT, "\(barcodesURL)/deactivations", headers: headers, body: Array(try JSONEncoder().encode(items)),
            timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        if response.status == 400 || response.status == 422, entries.count > 1 {
            // One bad item refuses the batch: send them one by one so the others get through.
            for i in entries { results[i] = try await upload([scans[i]])[0] }
            return results
        }
        if response.status == 400 || response.status == 422 {
            results[entries[0]] = .rejected("ACME refused the deactivation: HTTP \(response.status)")
            return results
        }
        let answered = try answers.deactivated(response, label: label)
        for i in entries {
            results[i] = answered.contains(scans[i].barcode) ? .accepted : try await confirm(scans[i].barcode)
        }
        return results
    }

    /// The result for a barcode the deactivation answer left out.
    private func confirm(_ barcode: String) async throws -> UploadResult {
        let label = "GET v2/b2b/barcodes/{barcode} (confirm deactivation)"
        let response = try await http.send(
            .GET, "\(barcodesURL)/\(AcmeSettings.escape(barcode))", headers: headers,
            timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        return try answers.confirmation(response, barcode: barcode, label: label)
    }

    struct Deactivation: Encodable {
        var barcode: String
        var code: Int
        var message: String
    }
}
