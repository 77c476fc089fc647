import AdmitCore
import AdmitDevices
import Logging

/// An `evdev` or `serial` scanner of AdmitDevices, seen as a `ScannerSource` by the daemon.
public final class DeviceScannerSource: ScannerSource {
    private let scanner: any DeviceScanner
    private let clock = MonotonicClock()

    /// The device scanner a `[[scanner]]` section of kind `evdev` or `serial` describes.
    public init(_ config: ScannerConfig, logger: Logger) {
        switch config.device {
        case .evdev(let configuration): scanner = EvdevScanner(configuration: configuration, logger: logger)
        case .serial(let configuration): scanner = SerialScanner(configuration: configuration, logger: logger)
        case nil: preconditionFailure("scanner \(config.name) of kind \(config.kind) has no device settings")
        }
    }

    public var name: String { scanner.name }

    public func start(deliver: @escaping @Sendable (String, Direction?) -> Void) throws {
        try scanner.start { deliver($0.barcode.text, $0.direction) }
    }

    public func start(deliverFrom: @escaping @Sendable (String, String, Direction?) -> Void) throws {
        try scanner.start { deliverFrom($0.barcode.text, $0.source, $0.direction) }
    }

    public func stop() { scanner.stop() }

    public func describe() -> ScannerDescription {
        describeDevices().first ?? ScannerDescription(name: name, kind: "device", state: "unknown")
    }

    public func describeDevices() -> [ScannerDescription] {
        let now = clock.now()
        return scanner.status().map { status in
            var description = ScannerDescription(
                name: status.name, kind: status.kind, state: status.state, device: status.device,
                reads: status.reads, lastRead: status.lastRead)
            description.lastReadSecondsAgo = status.lastReadAt.map { Int(now.milliseconds(since: $0) / 1000) }
            description.discarded = status.discarded
            description.floods = status.floods
            return description
        }
    }
}
