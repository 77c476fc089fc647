import AdmitBackendCore

/// `status/` in `admitctl status`, fetched by the daemon on the sync cadence.
extension EventyayBackend: StatusReportingBackend {
    public func remoteStatus() async throws -> BackendStatus {
        let status = try await status()
        return BackendStatus(
            event: status.event?.name, checkins: status.checkins, total: status.total,
            items: (status.items ?? []).map(\.counted))
    }
}
