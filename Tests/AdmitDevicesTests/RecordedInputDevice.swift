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

    init(identity: InputDeviceIdentity, typesLetters: Bool = true) throws {
        var ends: [Int32] = [0, 0]
        guard pipe2(&ends, O_CLOEXEC | O_NONBLOCK) == 0 else { throw DeviceError("make a pipe for", identity.node, errno: errno) }
        descriptor = DeviceDescriptor(ends[0], path: identity.node)
        writer.withLock { $0 = DeviceDescriptor(ends[1], path: identity.node + " (writer)") }
        self.identity = identity
        self.typesLetters = typesLetters
    }

    var isGrabbed: Bool { grabbed.withLock { $0 } }
    func grab() throws(DeviceError) { grabbed.withLock { $0 = true } }
    func ungrab() { grabbed.withLock { $0 = false } }

    /// Replays `recording` (lines `E: <seconds> <type> <code> <value>`, hex type/code as
    /// evemu-record writes them), shifted so its first event happens now.
    func play(_ recording: String) throws {
        let now = MonotonicClock().now()
        var bytes: [UInt8] = []
        for line in recording.split(separator: "\n") where line.hasPrefix("E:") {
            let fields = line.split(separator: " ")
            guard fields.count == 5, let offset = Double(fields[1]), let type = UInt16(fields[2], radix: 16),
                  let code = UInt16(fields[3], radix: 16), let value = Int32(fields[4])
            else { continue }
            let nanoseconds = now.nanoseconds + UInt64(offset * 1e9)
            var event = input_event()
            event.time.tv_sec = Int(nanoseconds / 1_000_000_000)
            event.time.tv_usec = Int(nanoseconds % 1_000_000_000 / 1000)
            event.type = type
            event.code = code
            event.value = value
            withUnsafeBytes(of: &event) { bytes += $0 }
        }
        try writer.withLock { writer throws(DeviceError) in
            if let writer { try Posix.write(writer, bytes) }
        }
    }

    /// Unplugs: the reader sees end of file.
    func unplug() { writer.withLock { $0 = nil } }

    func readAvailable(limit: Int) throws(DeviceError) -> [KeyInput] {
        var inputs: [KeyInput] = []
        let size = MemoryLayout<input_event>.size
        var event = input_event()
        while inputs.count < limit {
            let result = try withUnsafeMutableBytes(of: &event) { (raw) throws(DeviceError) in try Posix.read(descriptor, into: raw) }
            switch result {
            case .wouldBlock: return inputs
            case .endOfFile: throw DeviceError("read events from", identity.node, errno: ENODEV)
            case .bytes(let count):
                precondition(count == size, "short read of a recorded event")
                let input = InputEventTranslation.keyInput(
                    type: event.type, code: event.code, value: event.value,
                    seconds: Int(event.time.tv_sec), microseconds: Int(event.time.tv_usec))
                if let input { inputs.append(input) }
            }
        }
        return inputs
    }
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
