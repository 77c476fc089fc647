@testable import AdmitDevices
import AdmitCore
import Foundation
import Logging
import Synchronization
import Testing

/// The device suites count this process's descriptors, so they never run alongside each other.
@Suite(.serialized) struct DeviceSuites {}

/// Log lines kept for assertions ("each re-attach logged once").
final class LogRecorder: Sendable {
    private let lines = Mutex<[(Logger.Level, String)]>([])

    var logger: Logger {
        Logger(label: "test") { _ in RecordingHandler(recorder: self) }
    }

    func messages(at level: Logger.Level? = nil) -> [String] {
        lines.withLock { $0.filter { level == nil || $0.0 == level }.map(\.1) }
    }

    fileprivate func record(_ level: Logger.Level, _ message: String) {
        lines.withLock { $0.append((level, message)) }
    }
}

private struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    func log(event: LogEvent) { recorder.record(event.level, event.message.description) }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}

/// Barcodes delivered by a scanner, collected across queues.
final class DeliveryRecorder: Sendable {
    private let reads = Mutex<[ScannedBarcode]>([])

    var deliver: @Sendable (ScannedBarcode) -> Void { { barcode in self.reads.withLock { $0.append(barcode) } } }
    var all: [ScannedBarcode] { reads.withLock { $0 } }
    var texts: [String] { all.map(\.barcode.text) }

    /// Waits up to `seconds` for `count` reads.
    func wait(for count: Int, seconds: Double = 3) -> Bool {
        waitUntil(seconds: seconds) { self.all.count >= count }
    }
}

/// Polls `condition` every 5 ms for up to `seconds`.
func waitUntil(seconds: Double = 3, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if condition() { return true }
        usleep(5000)
    }
    return condition()
}

/// How many pipes and terminals this process has open: the kinds of descriptor the
/// scanners under test own. Counting only these keeps files, sockets and libdispatch's
/// own descriptors, opened by other suites running in parallel, out of the count.
func openDescriptorCount() -> Int {
    let folder = "/proc/self/fd"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return entries.filter { entry in
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + entry) else { return false }
        return target.hasPrefix("pipe:") || target.hasPrefix("/dev/pts") || target == "/dev/ptmx"
    }.count
}

/// `openDescriptorCount()` once it has not changed for 100 ms: descriptors of scanners
/// stopped just before are closed asynchronously, when their dispatch sources let go.
func settledDescriptorCount() -> Int {
    var last = openDescriptorCount(), stableSince = Date()
    while Date().timeIntervalSince(stableSince) < 0.1 {
        usleep(10_000)
        let now = openDescriptorCount()
        if now != last { last = now; stableSince = Date() }
    }
    return last
}

/// Monotonic milliseconds that move only when the test says: the `now` of a `SignalPlayer`
/// or `PassageMonitor`, whose timers then wake on real time but act on this time.
final class ManualMilliseconds: Sendable {
    private let value = Mutex<UInt64>(0)

    var now: @Sendable () -> UInt64 { { self.value.withLock { $0 } } }

    func set(_ milliseconds: UInt64) { value.withLock { $0 = milliseconds } }
}
