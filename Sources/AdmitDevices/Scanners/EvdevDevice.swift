import AdmitCore
import CEvdev

#if canImport(Glibc)
    import Glibc
#endif

/// An evdev input device opened through libevdev: the one file that calls libevdev.
///
/// Timestamps are switched to CLOCK_MONOTONIC (`libevdev_set_clock_id`), so they compare
/// with the decoder's deadlines. After `SYN_DROPPED` the libevdev resync is read in full
/// (`LIBEVDEV_READ_FLAG_SYNC`) so the key state is right again. The descriptor and the
/// libevdev handle are released in `deinit`, which also ends a grab.
final class EvdevDevice: InputDevice, @unchecked Sendable {
    let identity: InputDeviceIdentity
    let descriptor: DeviceDescriptor
    let typesLetters: Bool
    // Used only from the owning scanner's queue.
    private let handle: OpaquePointer
    private var syncing = false

    /// Opens `node` read-only and non-blocking and reads its identity (`libevdev_new_from_fd`).
    init(node: String, links: [String] = []) throws(DeviceError) {
        descriptor = try Posix.open(node, flags: O_RDONLY)
        var handle: OpaquePointer?
        let status = libevdev_new_from_fd(descriptor.rawValue, &handle)
        guard status == 0, let handle else { throw DeviceError("read the input device", node, errno: -status) }
        self.handle = handle
        _ = libevdev_set_clock_id(handle, CLOCK_MONOTONIC)
        identity = InputDeviceIdentity(
            node: node, links: links, name: libevdev_get_name(handle).map { String(cString: $0) } ?? "",
            vendor: UInt16(truncatingIfNeeded: libevdev_get_id_vendor(handle)),
            product: UInt16(truncatingIfNeeded: libevdev_get_id_product(handle)),
            serial: libevdev_get_uniq(handle).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 })
        typesLetters = [KEY_A, KEY_Q, KEY_Z, KEY_1].allSatisfy {
            libevdev_has_event_code(handle, UInt32(EV_KEY), UInt32($0)) == 1
        }
    }

    deinit {
        libevdev_free(handle)
    }

    /// `libevdev_grab(LIBEVDEV_GRAB)`.
    func grab() throws(DeviceError) {
        let status = libevdev_grab(handle, LIBEVDEV_GRAB)
        if status < 0 { throw DeviceError("grab", identity.node, errno: -status) }
    }

    /// `libevdev_grab(LIBEVDEV_UNGRAB)`; a device already gone is not an error.
    func ungrab() {
        _ = libevdev_grab(handle, LIBEVDEV_UNGRAB)
    }

    /// `libevdev_has_event_pending`: events libevdev has read but not yet handed out.
    var hasBufferedEvents: Bool { libevdev_has_event_pending(handle) > 0 }

    /// `libevdev_next_event` until it would block or `limit` inputs are collected.
    func readAvailable(limit: Int) throws(DeviceError) -> [KeyInput] {
        var inputs: [KeyInput] = []
        var event = input_event()
        while inputs.count < limit {
            let flags = syncing ? LIBEVDEV_READ_FLAG_SYNC.rawValue : LIBEVDEV_READ_FLAG_NORMAL.rawValue
            let status = libevdev_next_event(handle, flags, &event)
            if status == -EAGAIN {
                if syncing { syncing = false; continue }
                break
            }
            if status == -EINTR { continue }
            if status < 0 { throw DeviceError("read events from", identity.node, errno: -status) }
            if status == Int32(LIBEVDEV_READ_STATUS_SYNC.rawValue) && !syncing {
                // The SYN_DROPPED itself: report it, then read libevdev's resync events.
                syncing = true
            }
            let input = InputEventTranslation.keyInput(
                type: event.type, code: event.code, value: event.value,
                seconds: Int(event.time.tv_sec), microseconds: Int(event.time.tv_usec))
            if let input { inputs.append(input) }
        }
        return inputs
    }
}
