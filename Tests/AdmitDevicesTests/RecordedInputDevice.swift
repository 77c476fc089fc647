@testable import AdmitDevices
import AdmitCore
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An input device that replays recorded evdev events through a real pipe: the test
/// writes `struct input_event` records (from evemu-style text) to one end, the scanner
/// reads the other through its DispatchSource. Closing the writer is an unplug.
final class RecordedInputDevice: InputDevice, @unchecked Sendable {
    let identity: InputDeviceIdentity
    let descriptor: DeviceDescriptor
    let typesLetters: Bool
    private let writer = Mutex<DeviceDescriptor?>(nil)
    private let grabbed = Mutex(false)
    private let pending = Mutex<[UInt8]>([])

    init(identity: InputDeviceIdentity, typesLetters: Bool = true) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw DeviceError("make a pipe for", identity.node, errno: errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        descriptor = DeviceDescriptor(ends[0], path: identity.node)
        writer.withLock { $0 = DeviceDescriptor(ends[1], path: identity.node + " (writer)") }
        self.identity = identity
        self.typesLetters = typesLetters
    }

    var isGrabbed: Bool { grabbed.withLock { $0 } }
    func grab() throws(DeviceError) { grabbed.withLock { $0 = true } }
    func ungrab() { grabbed.withLock { $0 = false } }

    /// Replays `recording` (lines `E: <seconds> <type> <code> <value>`, hex type/code as
    /// evemu-record writes them), shifted so its first event happens now, or `after`
    /// seconds from now: the events' timestamps are the clock the scanner's flood guards
    /// keep, so a test moves that clock without waiting.
    func play(_ recording: String, after seconds: Double = 0) throws {
        let now = MonotonicInstant(nanoseconds: MonotonicClock().now().nanoseconds + UInt64(seconds * 1e9))
        var bytes: [UInt8] = []
        for line in recording.split(separator: "\n") where line.hasPrefix("E:") {
            let fields = line.split(separator: " ")
            guard fields.count == 5, let offset = Double(fields[1]), let type = UInt16(fields[2], radix: 16),
                  let code = UInt16(fields[3], radix: 16), let value = Int32(fields[4])
            else { continue }
            let nanoseconds = now.nanoseconds + UInt64(offset * 1e9)
            var event = RecordedEvent(
                seconds: Int(nanoseconds / 1_000_000_000), microseconds: Int(nanoseconds % 1_000_000_000 / 1000),
                type: type, code: code, value: value)
            withUnsafeBytes(of: &event) { bytes += $0 }
        }
        try writer.withLock { writer throws(DeviceError) in
            if let writer { try Posix.write(writer, bytes) }
        }
    }

    /// Unplugs: the reader sees end of file.
    func unplug() { writer.withLock { $0 = nil } }

    func readAvailable(limit: Int) throws(DeviceError) -> [KeyInput] {
        // A pipe may split a record across reads (writes over PIPE_BUF are not atomic): keep the rest.
        var inputs: [KeyInput] = []
        let size = MemoryLayout<RecordedEvent>.size
        var chunk = [UInt8](repeating: 0, count: size * 64)
        while inputs.count < limit {
            let result = try chunk.withUnsafeMutableBytes { raw in Result { () throws(DeviceError) in try Posix.read(descriptor, into: raw) } }.get()
            switch result {
            case .wouldBlock: return inputs
            case .endOfFile: throw DeviceError("read events from", identity.node, errno: ENODEV)
            case .bytes(let count):
                pending.withLock { $0 += chunk[0..<count] }
            }
            let records = pending.withLock { pending -> [RecordedEvent] in
                let whole = pending.count / size * size
                defer { pending.removeFirst(whole) }
                return stride(from: 0, to: whole, by: size).map { offset in
                    pending[offset..<offset + size].withUnsafeBytes { $0.loadUnaligned(as: RecordedEvent.self) }
                }
            }
            for event in records {
                let input = InputEventTranslation.keyInput(
                    type: event.type, code: event.code, value: event.value,
                    seconds: event.seconds, microseconds: event.microseconds)
                if let input { inputs.append(input) }
            }
        }
        return inputs
    }
}

/// `struct input_event` as the kernel lays it out on 64-bit Linux (24 bytes).
struct RecordedEvent {
    var seconds = 0
    var microseconds = 0
    var type: UInt16 = 0
    var code: UInt16 = 0
    var value: Int32 = 0
}

/// The hotplug seam driven by hand: `plug`/`unplug` stand for udev add/remove events.
final class ScriptedHotplugMonitor: HotplugMonitor, @unchecked Sendable {
    private let state = Mutex<(present: [DeviceNode], handler: (@Sendable (HotplugEvent) -> Void)?, queue: DispatchQueue?)>(([], nil, nil))

    init(present: [DeviceNode] = []) {
        state.withLock { $0.present = present }
    }

    func start(queue: DispatchQueue, handler: @escaping @Sendable (HotplugEvent) -> Void) throws(DeviceError) {
        state.withLock { $0.handler = handler; $0.queue = queue }
    }

    func enumerate() throws(DeviceError) -> [DeviceNode] { state.withLock { $0.present } }

    func stop() { state.withLock { $0.handler = nil } }

    func send(_ event: HotplugEvent) {
        let (handler, queue) = state.withLock { ($0.handler, $0.queue) }
        guard let handler, let queue else { return }
        queue.async { handler(event) }
    }
}

/// Keystrokes as evemu-style recording lines, 2 ms apart: `recording(typing: "AB1\n")`.
func recording(typing text: String, keymap: Keymap = .us) -> String {
    var lines: [String] = [], time = 0.0
    func key(_ code: KeyCode, _ value: Int) {
        lines.append(String(format: "E: %.6f 0001 %04x %d", time, code.rawValue, value))
        lines.append(String(format: "E: %.6f 0000 0000 0", time))
    }
    for character in text {
        if character == "\n" {
            key(.enter, 1); key(.enter, 0)
        } else if let stroke = keymap.keystroke(for: character) {
            if stroke.shift { key(.leftShift, 1) }
            key(stroke.key, 1); key(stroke.key, 0)
            if stroke.shift { key(.leftShift, 0) }
        }
        time += 0.002
    }
    return lines.joined(separator: "\n")
}
