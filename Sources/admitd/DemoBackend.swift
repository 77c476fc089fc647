import AdmitBackends
import AdmitCore
import AdmitDaemon
import AdmitFakes
import Dispatch
import Foundation

/// `admitd --demo`: the demo event served by the strict vivenu fake on loopback, so the demo
/// runs the real sync and upload paths over real HTTP.
enum DemoBackend {
    static let token = "demo-token"

    /// Starts the fake and points the configuration's backend at it.
    static func start(event: DemoEvent, config: inout AdmitConfig) throws -> VivenuFake {
        let fake = VivenuFake(token: token, eventID: DemoEvent.eventID, tickets: event.tickets)
        let started = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task.detached {
            do { _ = try await fake.start() } catch { failure.set(error) }
            started.signal()
        }
        started.wait()
        if let error = failure.error { throw error }
        var backend = BackendConfig(kind: .vivenu)
        backend.vivenu = VivenuSettings(
            baseURL: fake.baseURL, token: token, eventID: DemoEvent.eventID, deviceID: config.gate.name)
        config.backend = backend
        return fake
    }
}

/// Carries an error out of a detached task.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    func set(_ error: any Error) { lock.withLock { stored = error } }
    var error: (any Error)? { lock.withLock { stored } }
}
