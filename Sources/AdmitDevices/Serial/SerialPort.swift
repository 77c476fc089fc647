#if canImport(Glibc)
    import Glibc
#endif

/// A serial port opened in raw 8N1 mode at a given speed: the one file that calls termios.
/// Closed when released.
final class SerialPort: Sendable {
    /// The speeds a scanner is set to in practice.
    static let supportedBauds: [Int: speed_t] = [
        1200: speed_t(B1200), 2400: speed_t(B2400), 4800: speed_t(B4800), 9600: speed_t(B9600),
        19200: speed_t(B19200), 38400: speed_t(B38400), 57600: speed_t(B57600),
        115200: speed_t(B115200), 230400: speed_t(B230400),
    ]

    let descriptor: DeviceDescriptor

    /// Opens `path` (O_NOCTTY: a scanner must never become the daemon's terminal), takes it
    /// for exclusive use (TIOCEXCL), sets
    /// raw mode (`cfmakeraw`), 8 data bits, no parity, one stop bit, no flow control,
    /// `baud`, and drops whatever was waiting in the input buffer.
    init(path: String, baud: Int) throws(DeviceError) {
        guard let speed = Self.supportedBauds[baud] else {
            throw DeviceError.unsuitable("set the speed of", path, "\(baud) baud is not supported")
        }
        descriptor = try Posix.open(path, flags: O_RDWR | O_NOCTTY)
        let fd = descriptor.rawValue
        var options = termios()
        guard tcgetattr(fd, &options) == 0 else {
            let error = errno
            throw error == ENOTTY
                ? DeviceError.unsuitable("use", path, "it is not a serial port") : DeviceError("read the settings of", path, errno: error)
        }
        cfmakeraw(&options)
        options.c_cflag &= ~(tcflag_t(PARENB) | tcflag_t(CSTOPB) | tcflag_t(CSIZE) | tcflag_t(CRTSCTS))
        options.c_cflag |= tcflag_t(CS8) | tcflag_t(CLOCAL) | tcflag_t(CREAD)
        withUnsafeMutableBytes(of: &options.c_cc) { controlCharacters in
            controlCharacters[Int(VMIN)] = 1  // a read returns as soon as one byte is there
            controlCharacters[Int(VTIME)] = 0  // no inter-byte timer in the driver: the framer keeps time
        }
        cfsetispeed(&options, speed)
        cfsetospeed(&options, speed)
        _ = try Posix.call("configure", path) { tcsetattr(fd, TCSANOW, &options) }
        // Exclusive use (TIOCEXCL): while admitd holds the port, any further open by a
        // process without CAP_SYS_ADMIN fails with EBUSY, so a modem prober or a stray
        // terminal program can neither steal the scanner's bytes nor write into it.
        _ = try Posix.call("take exclusive use of", path) { ioctl(fd, UInt(TIOCEXCL)) }
        _ = tcflush(fd, TCIFLUSH)
    }

    /// True when the port is held exclusively (TIOCGEXCL, Linux 3.8 and later).
    var isExclusive: Bool {
        var flag: Int32 = 0
        // TIOCGEXCL is _IOR('T', 0x40, int); the C macro does not reach Swift.
        return ioctl(descriptor.rawValue, UInt(0x8004_5440), &flag) == 0 && flag != 0
    }

    /// Reads what is waiting without blocking.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Posix.ReadResult {
        try Posix.read(descriptor, into: buffer)
    }
}
