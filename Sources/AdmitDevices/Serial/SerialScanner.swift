import AdmitCore
import Dispatch
import Logging

/// A serial barcode scanner (`kind = "serial"`): RS-232 or USB CDC-ACM at a fixed path.
/// Frames are split by the configured terminator or idle gap. When the tty vanishes
/// (unplugged, EIO) it is closed and re-opened as soon as the path works again.
public final class SerialScanner: DeviceScanner, @unchecked Sendable {
    /// Where the scanner is and how it frames barcodes.
    public struct Configuration: Sendable {
        /// The scanner's name, used as the source of its reads.
        public var name: String
        /// `/dev/ttyACM0`, `/dev/serial/by-id/…`.
        public var path: String
        /// Line speed; 8N1.
        public var baud: Int
        /// Terminator, inter-byte timeout and framing.
        public var framer: SerialFramer.Configuration
        /// This scanner's direction, nil for the gate's.
        public var direction: Direction?
        /// How often to try the path again while the device is away.
        public var reopenIntervalMilliseconds: Int = 1000
        /// Barcodes per second beyond which they are not passed to the gate.
        public var barcodesPerSecond: Double = 20

        /// A configuration with default re-open interval and flood limit.
        public init(name: String, path: String, baud: Int = 9600, framer: SerialFramer.Configuration = .init(),
                    direction: Direction? = nil) {
            self.name = name
            self.path = path
            self.baud = baud
            self.framer = framer
            self.direction = direction
        }
    }

    /// The line speeds a serial scanner may be configured with.
    public static var supportedBauds: [Int] { SerialPort.supportedBauds.keys.sorted() }

    public var name: String { configuration.name }
    private let configuration: Configuration
    private let logger: Logger
    private let clock = MonotonicClock()
    private let queue: DispatchQueue
    // Everything below is touched on `queue` only.
    private var port: SerialPort?
    private var readSource: (any DispatchSourceRead)?
    private var timer: (any DispatchSourceTimer)?
    private var framer: SerialFramer
    private var output: DecodedOutputHandler?
    private var state = "starting"
    private var lastProblem: String?
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)

    /// A serial scanner; nothing is opened until `start`.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.framer = SerialFramer(configuration.framer)
        self.queue = DispatchQueue(label: "admit.scanner.\(configuration.name)", qos: .userInteractive)
    }

    deinit {
        buffer.deallocate()
    }

    public func start(deliver: @escaping @Sendable (ScannedBarcode) -> Void) throws(DeviceError) {
        queue.sync {
            output = DecodedOutputHandler(
                source: name, direction: configuration.direction, barcodesPerSecond: configuration.barcodesPerSecond,
                logger: logger, deliver: deliver)
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { [weak self] in self?.timerFired() }
            self.timer = timer
            timer.resume()
            reopen()
        }
    }

    public func stop() {
        queue.sync {
            close(state: "stopped")
            timer?.cancel()
            timer = nil
        }
    }

    public func status() -> [DeviceStatus] {
        queue.sync {
            [DeviceStatus(
                name: name, kind: "serial", state: state, device: "\(configuration.path) \(configuration.baud) 8N1",
                reads: output?.reads ?? 0, discarded: output?.discarded ?? 0, floods: output?.floods ?? 0,
                lastRead: output?.lastRead, lastReadAt: output?.lastReadAt)]
        }
    }

    /// Waits until every event queued so far has been handled (tests).
    func settle() { queue.sync {} }

    private func reopen() {
        guard port == nil, state != "stopped" else { return }
        do {
            let port = try SerialPort(path: configuration.path, baud: configuration.baud)
            let source = DispatchSource.makeReadSource(fileDescriptor: port.descriptor.rawValue, queue: queue)
            source.setEventHandler { [weak self] in self?.readAvailable() }
            source.setCancelHandler { withExtendedLifetime(port) {} }
            self.port = port
            readSource = source
            source.resume()
            state = "reading"
            lastProblem = nil
            logger.info("\(name): opened \(configuration.path) at \(configuration.baud) baud, \(configuration.framer.terminator.rawValue) terminated")
        } catch {
            let problem = "\(error)"
            state = error.code == .vanished ? "waiting for device" : problem
            if problem != lastProblem {
                lastProblem = problem
                if error.code == .vanished { logger.notice("\(name): \(problem); waiting for it") } else { logger.error("\(name): \(problem)") }
            }
        }
        arm()
    }

    private func readAvailable() {
        guard let port else { return }
        do throws(DeviceError) {
            switch try port.read(into: buffer) {
            case .bytes(let count): output?.handle(framer.receive(buffer[0..<count], at: clock.now()))
            case .wouldBlock: break
            case .endOfFile: return close(state: "waiting for device", reason: "end of file")
            }
        } catch {
            return close(state: error.code == .vanished ? "waiting for device" : "\(error)", reason: "\(error)")
        }
        arm()
    }

    private func close(state newState: String, reason: String? = nil) {
        if let reason { logger.notice("\(name): \(configuration.path) went away (\(reason)); re-opening when it returns") }
        readSource?.cancel()
        readSource = nil
        port = nil
        output?.handle(framer.advance(to: MonotonicInstant(nanoseconds: .max)))
        framer = SerialFramer(configuration.framer)
        state = newState
        arm()
    }

    private func timerFired() {
        if port == nil { return reopen() }
        output?.handle(framer.advance(to: clock.now()))
        arm()
    }

    /// Wakes at the framer's deadline, or at the next re-open attempt while closed.
    private func arm() {
        guard state != "stopped" else { return }
        let now = clock.now()
        var delay: UInt64
        if port == nil {
            delay = UInt64(configuration.reopenIntervalMilliseconds) * 1_000_000
        } else if let deadline = framer.deadline {
            delay = deadline.nanoseconds > now.nanoseconds ? deadline.nanoseconds - now.nanoseconds : 0
        } else {
            timer?.schedule(deadline: .distantFuture)
            return
        }
        timer?.schedule(deadline: .now() + .nanoseconds(Int(delay)), leeway: .milliseconds(1))
    }
}
