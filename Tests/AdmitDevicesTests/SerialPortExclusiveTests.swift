@testable import AdmitDevices
import Testing

/// A serial scanner's port is held exclusively while admitd reads it (TIOCEXCL): no other
/// unprivileged process may open it meanwhile.
@Suite struct SerialPortExclusiveTests {
    @Test func thePortIsHeldExclusively() throws {
        let pty = try Pseudoterminal()
        let port = try SerialPort(path: pty.devicePath, baud: 9600)
        #expect(port.isExclusive, "TIOCGEXCL reads the flag TIOCEXCL set")
    }
}
