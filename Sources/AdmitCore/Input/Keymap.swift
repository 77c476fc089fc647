/// A keyboard layout: which character each key types with no modifier, with Shift, and
/// with AltGr. A scanner types the key codes of the layout it is set to, so each scanner
/// is decoded with its own keymap (`us`, `uk`, `de`, `fr`).
///
/// Dead keys (`^`, `´`, `` ` `` on de and fr) type their spacing character at once: a
/// scanner never composes accents.
public struct Keymap: Sendable, Hashable {
    /// The characters of one key.
    public struct Legend: Sendable, Hashable {
        /// Without modifiers.
        public var plain: Character?
        /// With Shift.
        public var shifted: Character?
        /// With AltGr (right Alt).
        public var altGr: Character?

        /// True when Caps Lock turns `plain` into `shifted`: letter keys, not digits or symbols.
        public var followsCapsLock: Bool {
            guard let plain, let shifted, plain.isLetter else { return false }
            return plain.uppercased() == String(shifted)
        }
    }

    /// The keymap's name as written in the configuration.
    public var name: String
    /// Legends indexed by key code (codes above 255 type nothing): a lookup per key event.
    private var legends: [Legend?]

    /// A keymap from its legends.
    public init(name: String, legends: [KeyCode: Legend]) {
        self.name = name
        var table = [Legend?](repeating: nil, count: 256)
        for (key, legend) in legends where key.rawValue < 256 { table[Int(key.rawValue)] = legend }
        self.legends = table
    }

    /// The character `key` types with the given modifiers, or nil when it types none.
    public func character(for key: KeyCode, shift: Bool, altGr: Bool, capsLock: Bool) -> Character? {
        guard key.rawValue < 256, let legend = legends[Int(key.rawValue)] else { return nil }
        if altGr { return legend.altGr }
        let shifted = legend.followsCapsLock && capsLock ? !shift : shift
        return shifted ? legend.shifted : legend.plain
    }

    /// The key and Shift state that type `character` without AltGr or Caps Lock (for
    /// benchmarks and tests that need to "type" text), or nil.
    public func keystroke(for character: Character) -> (key: KeyCode, shift: Bool)? {
        for (code, legend) in legends.enumerated() {
            guard let legend else { continue }
            if legend.plain == character { return (KeyCode(UInt16(code)), false) }
            if legend.shifted == character { return (KeyCode(UInt16(code)), true) }
        }
        return nil
    }

    /// The keymaps Admit ships, by configuration name.
    public static let builtIn: [String: Keymap] = [
        "us": .us, "uk": .uk, "de": .de, "fr": .fr,
    ]

    /// The keymap called `name` (`us`, `uk`, `de`, `fr`; `gb` is `uk`), or nil.
    public static func named(_ name: String) -> Keymap? {
        let lower = name.lowercased()
        return builtIn[lower == "gb" ? "uk" : lower]
    }

    /// Builds legends from rows of consecutive key codes. `·` marks "no character".
    static func rows(_ rows: [(first: UInt16, plain: String, shifted: String, altGr: [Int: Character])])
        -> [KeyCode: Legend]
    {
        var legends: [KeyCode: Legend] = [:]
        for row in rows {
            let plain = Array(row.plain), shifted = Array(row.shifted)
            for index in plain.indices {
                let code = KeyCode(row.first + UInt16(index))
                legends[code] = Legend(
                    plain: plain[index] == "·" ? nil : plain[index],
                    shifted: index < shifted.count && shifted[index] != "·" ? shifted[index] : nil,
                    altGr: row.altGr[index])
            }
        }
        legends[.space] = Legend(plain: " ", shifted: " ", altGr: " ")
        return legends
    }
}
