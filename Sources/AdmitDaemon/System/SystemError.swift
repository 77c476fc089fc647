#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call: what was being done, on what, and the errno.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    /// The operation in words, e.g. "bind the control socket".
    public var operation: String
    /// The file, device or socket concerned.
    public var subject: String
    /// The errno value.
    public var code: Int32

    /// Creates an error from an operation, its subject and an errno value.
    public init(_ operation: String, _ subject: String, code: Int32 = errno) {
        self.operation = operation
        self.subject = subject
        self.code = code
    }

    /// True for EACCES/EPERM, which usually mean a missing group or udev rule.
    public var isPermissionDenied: Bool { code == EACCES || code == EPERM }

    public var description: String {
        "cannot \(operation) \(subject): \(String(cString: strerror(code)))"
    }
}
