/// The keys that end a barcode typed by a keyboard-wedge scanner.
public enum KeystrokeTerminator: String, Sendable, Hashable, CaseIterable {
    /// `KEY_ENTER` or `KEY_KPENTER` (also Alt+numpad 13 or 10).
    case enter
    /// `KEY_TAB` (also Alt+numpad 9).
    case tab
}

/// Turns the key events of one keyboard-wedge scanner into barcodes: a pure state machine.
///
/// Keys go in with their timestamps (`receive(_:)`); barcodes and discards come out. It
/// never reads a clock: the shell asks for `deadline`, and calls `advance(to:)` when that
/// time has come, which ends a partial barcode typed too slowly (discarded) or, with no
/// terminator configured, completes it. Anything doubtful is discarded, never guessed:
/// lost events, a key the keymap cannot type, an over-long barcode. What follows a
/// discard up to the next terminator or pause is ignored, so no fragment becomes a barcode.
///
/// Autorepeat events are ignored: a scanner presses each key once, a repeat is a stuck key.
public struct KeystrokeDecoder: Sendable {
    /// How a scanner types.
    public struct Configuration: Sendable, Hashable {
        /// The layout the scanner is set to.
        public var keymap: Keymap
        /// Keys that end a barcode; empty means the barcode ends on an idle gap.
        public var terminators: Set<KeystrokeTerminator>
        /// The longest pause between keys within one barcode, in milliseconds.
        public var interKeyTimeoutMilliseconds: UInt64
        /// Prefix, suffix, AIM identifier and maximum length.
        public var framing: BarcodeFraming

        /// US keymap, Enter or Tab ends a barcode, 100 ms between keys, no framing.
        public init(keymap: Keymap = .us, terminators: Set<KeystrokeTerminator> = [.enter, .tab],
                    interKeyTimeoutMilliseconds: UInt64 = 100, framing: BarcodeFraming = BarcodeFraming()) {
            self.keymap = keymap
            self.terminators = terminators
            self.interKeyTimeoutMilliseconds = interKeyTimeoutMilliseconds
            self.framing = framing
        }
    }

    /// Held modifier keys as bits (no allocation per key event) and the Caps Lock toggle.
    private struct Modifiers: Sendable {
        private var held: UInt8 = 0
        var capsLock = false

        private static func bit(_ key: KeyCode) -> UInt8 {
            switch key {
            case .leftShift: 1
            case .rightShift: 2
            case .leftCtrl: 4
            case .rightCtrl: 8
            case .leftAlt: 16
            case .rightAlt: 32
            default: 0
            }
        }

        mutating func press(_ key: KeyCode) { held |= Self.bit(key) }
        mutating func release(_ key: KeyCode) { held &= ~Self.bit(key) }
        var shift: Bool { held & 3 != 0 }
        var ctrl: Bool { held & 12 != 0 }
        var alt: Bool { held & 16 != 0 }
        var altGr: Bool { held & 32 != 0 }
    }

    /// The configuration in force.
    public let configuration: Configuration
    private var modifiers = Modifiers()
    private var typed = ""
    /// `typed.count`, kept apace because counting a String walks it.
    private var typedCount = 0
    /// Digits typed on the keypad while Alt is held (ASCII via Alt+numpad).
    private var altCode = ""
    /// True after a discard, until the next terminator or pause.
    private var discarding = false
    private var lastInputAt: MonotonicInstant?

    /// A decoder with nothing typed yet.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// When `advance(to:)` must be called if nothing else arrives; nil when idle.
    public var deadline: MonotonicInstant? {
        guard let lastInputAt, !typed.isEmpty || !altCode.isEmpty || discarding else { return nil }
        return lastInputAt.adding(milliseconds: configuration.interKeyTimeoutMilliseconds)
    }

    /// The characters of the barcode being typed so far.
    public var partial: String { typed }

    /// Ends a partial barcode whose deadline is at or before `now`.
    public mutating func advance(to now: MonotonicInstant) -> [DecoderOutput] {
        guard let deadline, now >= deadline else { return [] }
        defer { reset() }
        if discarding { return [] }
        if configuration.terminators.isEmpty {
            return complete(at: lastInputAt ?? now)
        }
        return [.discarded(.timedOut, partial: typed + altCode)]
    }

    /// Feeds one input; returns what it completed or discarded.
    public mutating func receive(_ input: KeyInput) -> [DecoderOutput] {
        var outputs = advance(to: input.instant)
        switch input {
        case .eventsDropped(let at):
            lastInputAt = at
            if !discarding { outputs += discard(.eventsDropped) }
        case .key(let key, let action, let at):
            guard action != .repeat else { return outputs }
            lastInputAt = at
            outputs += action == .down ? pressed(key, at: at) : released(key, at: at)
        }
        return outputs
    }

    private mutating func pressed(_ key: KeyCode, at instant: MonotonicInstant) -> [DecoderOutput] {
        if key.isModifier {
            modifiers.press(key)
            return []
        }
        if key == .capsLock {
            modifiers.capsLock.toggle()
            return []
        }
        if key == .numLock { return [] }
        if let terminator = Self.terminator(of: key), configuration.terminators.contains(terminator) {
            return terminate(at: instant)
        }
        if modifiers.alt, !modifiers.ctrl, let digit = key.keypadDigit {
            altCode.append(String(digit))
            return []
        }
        guard let character = character(for: key) else {
            return discarding ? [] : discard(.unmappedKey(key))
        }
        return append(character)
    }

    private mutating func released(_ key: KeyCode, at instant: MonotonicInstant) -> [DecoderOutput] {
        modifiers.release(key)
        guard key == .leftAlt, !altCode.isEmpty else { return [] }
        let value = UInt32(altCode.suffix(3)) ?? 0
        altCode = ""
        let code = UInt8(value % 256)
        if code == 0 { return [] }
        let terminator: KeystrokeTerminator? = code == 10 || code == 13 ? .enter : code == 9 ? .tab : nil
        if let terminator, configuration.terminators.contains(terminator) { return terminate(at: instant) }
        return append(Character(Unicode.Scalar(code)))
    }

    private func character(for key: KeyCode) -> Character? {
        if let keypad = Self.keypadCharacters[key] { return keypad }
        if modifiers.ctrl {
            // Ctrl+letter and Ctrl+[ \ ] type ASCII control characters (Ctrl+] is GS, GS1's FNC1).
            guard let plain = configuration.keymap.character(for: key, shift: false, altGr: false, capsLock: false),
                  let ascii = plain.uppercased().unicodeScalars.first?.value, (0x40...0x5F).contains(ascii)
            else { return nil }
            return Character(Unicode.Scalar(UInt8(ascii - 0x40)))
        }
        return configuration.keymap.character(
            for: key, shift: modifiers.shift, altGr: modifiers.altGr, capsLock: modifiers.capsLock)
    }

    private mutating func append(_ character: Character) -> [DecoderOutput] {
        guard !discarding else { return [] }
        typed.append(character)
        typedCount += 1
        if typedCount > configuration.framing.maxLength { return discard(.tooLong) }
        return []
    }

    private mutating func terminate(at instant: MonotonicInstant) -> [DecoderOutput] {
        defer { reset() }
        return discarding ? [] : complete(at: instant)
    }

    private func complete(at instant: MonotonicInstant) -> [DecoderOutput] {
        configuration.framing.unwrap(typed, completedAt: instant).map { [$0] } ?? []
    }

    private mutating func discard(_ reason: DiscardReason) -> [DecoderOutput] {
        let partial = typed
        typed = ""
        typedCount = 0
        altCode = ""
        discarding = true
        return [.discarded(reason, partial: partial)]
    }

    private mutating func reset() {
        typed = ""
        typedCount = 0
        altCode = ""
        discarding = false
    }

    private static func terminator(of key: KeyCode) -> KeystrokeTerminator? {
        switch key {
        case .enter, .keypadEnter: .enter
        case .tab: .tab
        default: nil
        }
    }

    /// Keypad keys type the same on every layout (Num Lock on, as scanners assume).
    private static let keypadCharacters: [KeyCode: Character] = {
        var table: [KeyCode: Character] = [
            KeyCode(55): "*", KeyCode(74): "-", KeyCode(78): "+", KeyCode(83): ".", KeyCode(98): "/",
        ]
        for code: UInt16 in 71...82 {
            if let digit = KeyCode(code).keypadDigit { table[KeyCode(code)] = Character(String(digit)) }
        }
        return table
    }()
}
