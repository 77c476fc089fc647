import AdmitBackendCore
import AdmitCore

/// Scans out through `redeem/`, one request per scan, `uploadConcurrency` at a time.
///
/// Only GRANTED entries are sent (a DENIED scan or an exit would otherwise check the ticket
/// in). Each carries `nonce` = the scan id, so a retry after a lost reply is recognized by
/// eventyay and never makes a second check-in; `datetime` = the time of the scan; and
/// `force=true`, because the visitor is already through the gate: eventyay logs it whatever
/// earlier check-ins say (and ignores questions).
extension EventyayBackend {
    public func upload(_ scans: [ScanRecord]) async throws -> [UploadResult] {
        var results = [UploadResult](repeating: .skipped, count: scans.count)
        let sendable = scans.indices.filter {
            scans[$0].outcome == .granted && scans[$0].direction == .in && !scans[$0].settledInRealtime
        }
        try await withThrowingTaskGroup(of: (Int, UploadResult).self) { group in
            var next = 0
            func launch() {
                let index = sendable[next]
                let scan = scans[index]
                next += 1
                group.addTask { (index, try await self.redeem(scan)) }
            }
            while next < min(sendable.count, settings.uploadConcurrency) { launch() }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < sendable.count { launch() }
            }
        }
        return results
    }

    /// Sends one offline-GRANTED scan.
    func redeem(_ scan: ScanRecord) async throws(BackendError) -> UploadResult {
        let label = "POST redeem/ (scan \(scan.scanID))"
        let body = FormEncoding.body([
            ("secret", scan.barcode), ("nonce", scan.scanID), ("datetime", ISO8601.format(scan.time)), ("force", "true"),
        ])
        let response = try await http.send(
            .POST, settings.url("redeem"),
            headers: [("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: body, timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        return try answers.redeemResult(response, label: label)
    }
}
