import AdmitCore
import Dispatch
import Logging

/// One grabbed input device being read by an `EvdevScanner`: its read source, decoder,
/// deadline timer, flood guard and counters. Lives on the scanner's queue only.
final class AttachedInputDevice: @unchecked Sendable {
    let device: any InputDevice
    private(set) var output: DecodedOutputHandler
    private var decoder: KeystrokeDecoder
    private var eventGuard: FloodGuard
    private let clock: MonotonicClock
    private let queue: DispatchQueue
    private var readSource: (any DispatchSourceRead)?
    private var deadlineTimer: (any DispatchSourceTimer)?
    private var onVanished: (@Sendable (DeviceError) -> Void)?

    init(device: any InputDevice, decoder: KeystrokeDecoder, output: DecodedOutputHandler,
         eventsPerSecond: Double, clock: MonotonicClock, queue: DispatchQueue) {
        self.device = device
        self.decoder = decoder
        self.output = output
        self.eventGuard = FloodGuard(ratePerSecond: eventsPerSecond, burst: eventsPerSecond)
        self.clock = clock
        self.queue = queue
    }

    /// Starts reading; `vanished` is called (on the queue) when the device is gone.
    func start(vanished: @escaping @Sendable (DeviceError) -> Void) {
        let source = DispatchSource.makeReadSource(fileDescriptor: device.descriptor.rawValue, queue: queue)
        onVanished = vanished
        source.setEventHandler { [weak self] in self?.readTurn() }
        // The descriptor may close only after the source has let go of it.
        let device = device
        source.setCancelHandler { withExtendedLifetime(device) {} }
        readSource = source
        source.resume()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in self?.deadlinePassed() }
        deadlineTimer = timer
        timer.resume()
    }

    /// Stops reading, ends the grab and lets the descriptor close.
    func cancel() {
        device.ungrab()
        readSource?.cancel()
        deadlineTimer?.cancel()
        readSource = nil
        deadlineTimer = nil
        onVanished = nil
    }

    private func readTurn() {
        guard readSource != nil else { return }
        do throws(DeviceError) {
            try readAvailable()
        } catch {
            onVanished?(error)
        }
    }

    private func readAvailable() throws(DeviceError) {
        let inputs = try device.readAvailable(limit: Self.eventsPerTurn)
        for input in inputs {
            let verdict = eventGuard.admit(at: input.instant)
            output.inputFlood(verdict, eventsPerSecond: eventGuard.ratePerSecond)
            switch verdict {
            case .pass, .passAfterFlood: output.handle(decoder.receive(input))
            case .floodBegan: output.handle(decoder.receive(.eventsDropped(at: input.instant)))
            case .suppressed: continue
            }
        }
        armDeadline()
        if inputs.count == Self.eventsPerTurn && device.hasBufferedEvents {
            // Let other devices have a turn; the descriptor will not wake us for these.
            queue.async { [weak self] in self?.readTurn() }
        }
    }

    /// Events handled per wake-up before other work on the queue gets a turn.
    private static let eventsPerTurn = 256

    private func deadlinePassed() {
        output.handle(decoder.advance(to: clock.now()))
        armDeadline()
    }

    private func armDeadline() {
        guard let deadline = decoder.deadline else {
            deadlineTimer?.schedule(deadline: .distantFuture)
            return
        }
        let now = clock.now()
        let delay = deadline.nanoseconds > now.nanoseconds ? deadline.nanoseconds - now.nanoseconds : 0
        deadlineTimer?.schedule(deadline: .now() + .nanoseconds(Int(delay)), leeway: .milliseconds(1))
    }

    /// The `admitctl devices` entry.
    func status() -> DeviceStatus {
        let identity = device.identity
        return DeviceStatus(
            name: output.source, kind: "evdev", state: "reading",
            device: "\(identity.node) \"\(identity.name)\" \(DeviceMatch.hex(identity.vendor)):\(DeviceMatch.hex(identity.product))",
            reads: output.reads, discarded: output.discarded, floods: output.floods,
            lastRead: output.lastRead, lastReadAt: output.lastReadAt)
    }
}
