/// A Linux input key code (`KEY_*` in `linux/input-event-codes.h`), the unit a keyboard
/// wedge scanner types in. Only the codes a barcode decoder cares about have names.
public struct KeyCode: Hashable, Sendable, CustomStringConvertible {
    /// The kernel's number for the key.
    public var rawValue: UInt16

    /// A key code from the kernel's number.
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let escape = KeyCode(1)
    public static let backspace = KeyCode(14)
    public static let tab = KeyCode(15)
    public static let enter = KeyCode(28)
    public static let leftCtrl = KeyCode(29)
    public static let leftShift = KeyCode(42)
    public static let rightShift = KeyCode(54)
    public static let leftAlt = KeyCode(56)
    public static let space = KeyCode(57)
    public static let capsLock = KeyCode(58)
    public static let numLock = KeyCode(69)
    public static let keypadEnter = KeyCode(96)
    public static let rightCtrl = KeyCode(97)
    public static let rightAlt = KeyCode(100)
    /// `KEY_Q`, the first letter key on every layout Admit knows (`q` or `a`).
    public static let q = KeyCode(16)

    /// The keypad digit this key types with Num Lock or Alt held (`KEY_KP0`…`KEY_KP9`), if any.
    public var keypadDigit: UInt32? {
        switch rawValue {
        case 82: 0
        case 79, 80, 81: UInt32(rawValue) - 78
        case 75, 76, 77: UInt32(rawValue) - 71
        case 71, 72, 73: UInt32(rawValue) - 64
        default: nil
        }
    }

    /// True for Shift, Ctrl and Alt keys on either side.
    public var isModifier: Bool {
        switch rawValue {
        case 29, 42, 54, 56, 97, 100: true
        default: false
        }
    }

    /// The key's lower-case name without `KEY_` (`a`, `leftshift`, `kpenter`), or its number.
    public var description: String { Self.namesByCode[rawValue] ?? "key\(rawValue)" }

    /// The key called `name` (`KEY_` name in lower case, e.g. `a`, `1`, `leftshift`,
    /// `kp7`, `102nd`), plus the aliases `shift`, `ctrl`, `alt` and `altgr`.
    public static func named(_ name: String) -> KeyCode? {
        let lower = name.lowercased()
        if let alias = aliases[lower] { return alias }
        return codesByName[lower].map(KeyCode.init)
    }

    private static let aliases: [String: KeyCode] = [
        "shift": .leftShift, "ctrl": .leftCtrl, "alt": .leftAlt, "altgr": .rightAlt, "return": .enter,
    ]

    /// Names of the keys a scanner can type, by kernel number.
    private static let namesByCode: [UInt16: String] = {
        var names: [UInt16: String] = [
            1: "esc", 12: "minus", 13: "equal", 14: "backspace", 15: "tab", 26: "leftbrace",
            27: "rightbrace", 28: "enter", 29: "leftctrl", 39: "semicolon", 40: "apostrophe",
            41: "grave", 42: "leftshift", 43: "backslash", 51: "comma", 52: "dot", 53: "slash",
            54: "rightshift", 55: "kpasterisk", 56: "leftalt", 57: "space", 58: "capslock",
            69: "numlock", 74: "kpminus", 78: "kpplus", 83: "kpdot", 86: "102nd", 96: "kpenter",
            97: "rightctrl", 98: "kpslash", 100: "rightalt",
        ]
        for (offset, digit) in "1234567890".enumerated() { names[UInt16(2 + offset)] = String(digit) }
        for (start, letters) in [(16, "qwertyuiop"), (30, "asdfghjkl"), (44, "zxcvbnm")] {
            for (offset, letter) in letters.enumerated() { names[UInt16(start + offset)] = String(letter) }
        }
        for code: UInt16 in [71, 72, 73, 75, 76, 77, 79, 80, 81, 82] {
            names[code] = "kp\(KeyCode(code).keypadDigit!)"
        }
        for n: UInt16 in 1...10 { names[58 + n] = "f\(n)" }
        return names
    }()

    private static let codesByName: [String: UInt16] = Dictionary(
        uniqueKeysWithValues: namesByCode.map { ($0.value, $0.key) })
}
