import AdmitControl
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What reading a configuration needs from the system besides its text: secret files,
/// systemd's credentials folder (`LoadCredential=`), and the user and group databases.
/// `system` is the real one; tests and the fuzzer pass their own, so parsing never
/// touches files they did not mean it to.
public struct ConfigEnvironment: Sendable {
    /// `$CREDENTIALS_DIRECTORY`, where relative `*_file` names are looked up.
    public var credentialsDirectory: String?
    /// Reads a small text file (at most the given number of bytes), or says why it cannot.
    public var readFile: @Sendable (_ path: String, _ limit: Int) -> Result<String, FileProblem>
    /// The id of a group name, nil when there is none.
    public var groupID: @Sendable (String) -> UInt32?
    /// The id of a user name, nil when there is none.
    public var userID: @Sendable (String) -> UInt32?

    /// Why a file could not be read, in words (e.g. "No such file or directory").
    public struct FileProblem: Error, Sendable {
        /// The reason.
        public var reason: String

        /// A problem with a reason.
        public init(_ reason: String) { self.reason = reason }
    }

    /// An environment from its parts.
    public init(
        credentialsDirectory: String?,
        readFile: @escaping @Sendable (_ path: String, _ limit: Int) -> Result<String, FileProblem>,
        groupID: @escaping @Sendable (String) -> UInt32?, userID: @escaping @Sendable (String) -> UInt32?
    ) {
        self.credentialsDirectory = credentialsDirectory
        self.readFile = readFile
        self.groupID = groupID
        self.userID = userID
    }

    /// The running system: the process environment, the file system, NSS.
    public static var system: ConfigEnvironment {
        ConfigEnvironment(
            credentialsDirectory: ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"],
            readFile: { path, limit in
                FileText.read(path, limit: limit).map { .success($0) } ?? .failure(FileProblem(FileText.lastError()))
            },
            groupID: UserDatabase.groupID(named:), userID: UserDatabase.userID(named:))
    }
}

/// Reads small text files with plain POSIX calls (configuration, secrets).
enum FileText {
    static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count < limit {
            let n = Glibc.read(fd, &buffer, min(buffer.count, limit - bytes.count))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
