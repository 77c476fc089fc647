import AdmitCore

/// An open keyboard-like input device as the evdev scanner uses it: who it is, a
/// descriptor to wait on, an exclusive grab, and its key events. `EvdevDevice` is the
/// real one; tests substitute devices fed with recorded events.
protocol InputDevice: AnyObject, Sendable {
    /// Name, ids, node and links.
    var identity: InputDeviceIdentity { get }
    /// The descriptor that becomes readable when events are waiting.
    var descriptor: DeviceDescriptor { get }
    /// True when it has letter keys (the keyboard node of a scanner, not its consumer-control node).
    var typesLetters: Bool { get }
    /// Takes the device for this process alone (`EVIOCGRAB`): keys reach no console.
    func grab() throws(DeviceError)
    /// Gives the grab back (also implied by closing).
    func ungrab()
    /// True when events were already read from the descriptor and are waiting in a
    /// user-space buffer (libevdev's), so the descriptor will not become readable for them.
    var hasBufferedEvents: Bool { get }
    /// Up to `limit` key inputs waiting now, without blocking; `.vanished` once the device is gone.
    func readAvailable(limit: Int) throws(DeviceError) -> [KeyInput]
}

extension InputDevice {
    var hasBufferedEvents: Bool { false }
}

/// Turns one evdev event (`struct input_event`) into decoder input; nil for events the
/// decoder does not need (`EV_MSC` scan codes, `SYN_REPORT`, LEDs).
enum InputEventTranslation {
    static let eventTypeSyn: UInt16 = 0, eventTypeKey: UInt16 = 1, synDropped: UInt16 = 3

    static func keyInput(type: UInt16, code: UInt16, value: Int32, seconds: Int, microseconds: Int) -> KeyInput? {
        let instant = MonotonicInstant(nanoseconds: UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, microseconds)) * 1000)
        switch (type, code) {
        case (eventTypeSyn, synDropped):
            return .eventsDropped(at: instant)
        case (eventTypeKey, _):
            let action: KeyAction = value == 0 ? .up : value == 1 ? .down : .repeat
            return .key(KeyCode(code), action, at: instant)
        default:
            return nil
        }
    }
}
