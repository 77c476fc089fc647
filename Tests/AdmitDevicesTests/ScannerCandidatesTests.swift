import AdmitCore
import AdmitDevices
import Testing

/// `admitctl devices --candidates`: which devices are offered, and the config that would match them.
@Suite struct ScannerCandidatesTests {
    let honeywell = DeviceNode(
        node: "/dev/input/event3", links: ["/dev/input/by-id/usb-Honeywell_Imaging-event-kbd"],
        identity: InputDeviceIdentity(node: "/dev/input/event3", name: "Honeywell Imaging & Mobility 1900", vendor: 0x0c2e, product: 0x0b61),
        properties: ["ID_INPUT_KEYBOARD": "1", "ID_BUS": "usb", "ADMIT_SCANNER": "1"])
    let keyboard = DeviceNode(
        node: "/dev/input/event4", identity: InputDeviceIdentity(node: "/dev/input/event4", name: "Logitech USB Keyboard", vendor: 0x046d, product: 0xc31c),
        properties: ["ID_INPUT_KEYBOARD": "1", "ID_BUS": "usb"])
    let powerButton = DeviceNode(
        node: "/dev/input/event0", identity: InputDeviceIdentity(node: "/dev/input/event0", name: "Power Button", vendor: 0, product: 1),
        properties: ["ID_INPUT_KEY": "1"])
    let mouseNode = DeviceNode(node: "/dev/input/mouse0", properties: ["ID_BUS": "usb", "ADMIT_SCANNER_CANDIDATE": "1"])
    let acm = DeviceNode(
        node: "/dev/ttyACM0", links: ["/dev/serial/by-id/usb-Datalogic_QD2430-if00"],
        properties: ["ID_MODEL": "QD2430", "ADMIT_SCANNER": "1"])
    let console = DeviceNode(node: "/dev/ttyS0")

    @Test func scannersAndUSBKeyboardsAreOfferedWithTheirMatchLine() {
        let found = ScannerCandidates.find(inputs: [powerButton, honeywell, keyboard, mouseNode], ttys: [console, acm])
        #expect(found.map(\.node) == ["/dev/input/event3", "/dev/input/event4", "/dev/ttyACM0"])
        #expect(found[0].knownScannerVendor && !found[1].knownScannerVendor)
        #expect(found[0].configuration.contains(#"match = { vendor = "0c2e", product = "0b61" }"#))
        #expect(found[1].configuration.contains(#"vendor = "046d", product = "c31c""#))
        #expect(found[2].configuration.contains(#"path = "/dev/serial/by-id/usb-Datalogic_QD2430-if00""#), "the stable link, not ttyACM0")
    }

    @Test func nothingPluggedInIsNothingOffered() {
        #expect(ScannerCandidates.find(inputs: [powerButton], ttys: [console]).isEmpty)
    }
}
