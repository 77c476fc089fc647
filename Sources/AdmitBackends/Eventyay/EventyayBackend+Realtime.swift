import AdmitBackendCore
import AdmitCore

/// Realtime `redeem/` (where `realtime = true`): eventyay decides and checks the ticket in
/// when it says ok, so such a scan is not uploaded again. `questions_supported=true` is sent
/// only with `questions = "refuse"`, and then `incomplete` is DENIED with the questions on
/// the console; by default it is not sent, and eventyay ignores the questions as the
/// protocol says for a client that cannot ask them.
extension EventyayBackend: RealtimeBackend {
    public var realtimeRecordsScan: Bool { true }

    public func check(barcode: String, direction: Direction, budgetMilliseconds: Int64) async throws -> BackendVerdict {
        guard direction == .in else { return .denied("eventyay records entries only") }
        let label = "POST redeem/ (realtime)"
        var fields = [("secret", barcode)]
        if settings.questions == .refuse { fields.append(("questions_supported", "true")) }
        let response = try await http.send(
            .POST, settings.url("redeem"),
            headers: [("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: FormEncoding.body(fields), timeoutMilliseconds: budgetMilliseconds, label: label)
        return try answers.realtimeVerdict(response, label: label)
    }
}
