/// The four layouts Admit ships, written as the rows of a PC keyboard (xkb defaults).
/// Rows start at `KEY_1` (2), `KEY_Q` (16), `KEY_A` (30), `KEY_BACKSLASH` (43),
/// `KEY_Z` (44) and `KEY_102ND` (86); AltGr characters are given by position in the row.
extension Keymap {
    /// US English (QWERTY), the factory setting of nearly every scanner.
    public static let us = Keymap(name: "us", legends: rows([
        (2, "1234567890-=", "!@#$%^&*()_+", [:]),
        (16, "qwertyuiop[]", "QWERTYUIOP{}", [:]),
        (30, "asdfghjkl;'`", "ASDFGHJKL:\"~", [:]),
        (43, "\\", "|", [:]),
        (44, "zxcvbnm,./", "ZXCVBNM<>?", [:]),
        (86, "\\", "|", [:]),
    ]))

    /// UK English (QWERTY with `"` on 2, `@` on the apostrophe key, `#` by Enter).
    public static let uk = Keymap(name: "uk", legends: rows([
        (2, "1234567890-=", "!\"£$%^&*()_+", [3: "€"]),
        (16, "qwertyuiop[]", "QWERTYUIOP{}", [2: "é"]),
        (30, "asdfghjkl;'`", "ASDFGHJKL:@¬", [:]),
        (43, "#", "~", [:]),
        (44, "zxcvbnm,./", "ZXCVBNM<>?", [:]),
        (86, "\\", "|", [:]),
    ]))

    /// German (QWERTZ): Y and Z swapped, umlauts, symbols moved; `@` is AltGr+Q.
    public static let de = Keymap(name: "de", legends: rows([
        (2, "1234567890ß´", "!\"§$%&/()=?`", [1: "²", 2: "³", 6: "{", 7: "[", 8: "]", 9: "}", 10: "\\"]),
        (16, "qwertzuiopü+", "QWERTZUIOPÜ*", [0: "@", 2: "€", 11: "~"]),
        (30, "asdfghjklöä^", "ASDFGHJKLÖÄ°", [:]),
        (43, "#", "'", [:]),
        (44, "yxcvbnm,.-", "YXCVBNM;:_", [6: "µ"]),
        (86, "<", ">", [0: "|"]),
    ]))

    /// French (AZERTY): digits need Shift, A/Q and Z/W swapped, M right of L.
    public static let fr = Keymap(name: "fr", legends: rows([
        (2, "&é\"'(-è_çà)=", "1234567890°+",
         [1: "~", 2: "#", 3: "{", 4: "[", 5: "|", 6: "`", 7: "\\", 8: "^", 9: "@", 10: "]", 11: "}"]),
        (16, "azertyuiop^$", "AZERTYUIOP¨£", [2: "€", 11: "¤"]),
        (30, "qsdfghjklmù²", "QSDFGHJKLM%·", [:]),
        (43, "*", "µ", [:]),
        (44, "wxcvbn,;:!", "WXCVBN?./§", [:]),
        (86, "<", ">", [:]),
    ]))
}
