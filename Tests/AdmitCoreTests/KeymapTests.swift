import AdmitCore
import Testing

@Suite struct KeymapTests {
    @Test(arguments: ["us", "uk", "de", "fr"])
    func everyPrintableASCIICharacterOfTheBasicSetCanBeTyped(_ name: String) throws {
        let keymap = try #require(Keymap.named(name))
        for character in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" {
            let stroke = try #require(keymap.keystroke(for: character), "\(name) cannot type \(character)")
            #expect(keymap.character(for: stroke.key, shift: stroke.shift, altGr: false, capsLock: false) == character)
        }
    }

    @Test func keyNamesRoundTrip() {
        for name in ["a", "1", "leftshift", "kp7", "102nd", "kpenter", "f1", "rightalt"] {
            #expect(KeyCode.named(name)?.description == name)
        }
        #expect(KeyCode.named("altgr") == .rightAlt)
        #expect(Keymap.named("GB")?.name == "uk")
    }
}
