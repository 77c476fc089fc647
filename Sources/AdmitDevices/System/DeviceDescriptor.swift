#if canImport(Glibc)
    import Glibc
#endif

/// An open file descriptor of a device, closed exactly once when its owner lets go.
/// The raw number never leaves AdmitDevices.
final class DeviceDescriptor: @unchecked Sendable {
    /// The descriptor number (immutable; closing is `deinit`'s job alone).
    let rawValue: Int32
    /// The path it was opened from, for error messages.
    let path: String

    init(_ rawValue: Int32, path: String) {
        self.rawValue = rawValue
        self.path = path
    }

    deinit {
        // close(2) is not retried on EINTR on Linux: the descriptor is released either way.
        _ = Glibc.close(rawValue)
    }
}
