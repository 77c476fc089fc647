#if canImport(Glibc)
    import Glibc
#endif

/// The choke point for the plain system calls AdmitDevices makes (open, read, fcntl,
/// close): EINTR is retried, EAGAIN becomes `.wouldBlock`, everything else a `DeviceError`
/// naming the operation and device.
enum Posix {
    /// What a non-blocking read found.
    enum ReadResult: Equatable {
        case bytes(Int)
        case wouldBlock
        case endOfFile
    }

    /// `body`'s result, retried on EINTR; -1 becomes an error.
    static func call(_ operation: String, _ device: String, _ body: () -> Int32) throws(DeviceError) -> Int32 {
        while true {
            let result = body()
            if result != -1 { return result }
            let error = errno
            if error == EINTR { continue }
            precondition(error != EBADF && error != EFAULT, "\(operation) \(device): bad descriptor or address")
            throw DeviceError(operation, device, errno: error)
        }
    }

    /// open(2) with O_CLOEXEC and O_NONBLOCK added.
    static func open(_ path: String, flags: Int32, operation: String = "open") throws(DeviceError) -> DeviceDescriptor {
        let fd = try call(operation, path) { Glibc.open(path, flags | O_CLOEXEC | O_NONBLOCK) }
        return DeviceDescriptor(fd, path: path)
    }

    /// read(2) into `buffer` without blocking.
    static func read(_ descriptor: DeviceDescriptor, into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> ReadResult {
        while true {
            let count = Glibc.read(descriptor.rawValue, buffer.baseAddress, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .endOfFile }
            let error = errno
            switch error {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            default:
                precondition(error != EBADF && error != EFAULT, "read \(descriptor.path): bad descriptor or address")
                throw DeviceError("read", descriptor.path, errno: error)
            }
        }
    }

    /// write(2) of all of `bytes` (tests and pty helpers).
    static func write(_ descriptor: DeviceDescriptor, _ bytes: [UInt8]) throws(DeviceError) {
        var offset = 0
        while offset < bytes.count {
            let written = try call("write", descriptor.path) {
                bytes.withUnsafeBytes { raw in
                    Int32(truncatingIfNeeded: Glibc.write(descriptor.rawValue, raw.baseAddress! + offset, raw.count - offset))
                }
            }
            offset += Int(written)
        }
    }
}
