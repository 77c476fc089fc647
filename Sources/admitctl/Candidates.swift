import AdmitDevices
import Foundation

/// `admitctl devices --candidates`: asks udev directly, so it works before admitd is
/// configured (or running), which is when an installer needs it.
func printScannerCandidates(json: Bool) throws {
    let inputs = try UdevMonitor(subsystem: "input").enumerate()
    let ttys = try UdevMonitor(subsystem: "tty").enumerate()
    let found = ScannerCandidates.find(inputs: inputs, ttys: ttys)
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return print(String(decoding: try encoder.encode(found), as: UTF8.self))
    }
    if found.isEmpty {
        print("""
            no scanner candidates: no USB keyboard or USB serial device is plugged in (a keyboard-wedge
            scanner shows up as a USB keyboard; without udev's database, e.g. in a container, none is seen)
            """)
        return
    }
    for candidate in found {
        let known = candidate.knownScannerVendor ? ", a known scanner vendor" : ""
        print("\(candidate.node)  \(candidate.kind)  \(candidate.name.isEmpty ? "(no name)" : candidate.name)\(known)")
        print(candidate.configuration.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        print("")
    }
}
