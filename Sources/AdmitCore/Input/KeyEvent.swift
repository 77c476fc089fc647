/// What a key did, as evdev reports it in an `EV_KEY` event's value.
public enum KeyAction: Sendable, Hashable {
    /// Pressed (value 1).
    case down
    /// Released (value 0).
    case up
    /// Held long enough for the kernel's autorepeat (value 2).
    case `repeat`
}

/// One input to the keystroke decoder: a key event, or the news that the kernel's event
/// buffer overflowed and events were lost (`SYN_DROPPED`).
public enum KeyInput: Sendable, Hashable {
    /// A key went down, up or repeated at `instant` (the event's monotonic timestamp).
    case key(KeyCode, KeyAction, at: MonotonicInstant)
    /// Events were lost at `instant`: whatever was being typed cannot be trusted.
    case eventsDropped(at: MonotonicInstant)

    /// When the input happened.
    public var instant: MonotonicInstant {
        switch self {
        case .key(_, _, let at), .eventsDropped(let at): at
        }
    }
}
