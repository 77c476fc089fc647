#if canImport(Glibc)
    import Glibc
#endif

/// The system's user and group databases (`/etc/passwd`, `/etc/group`, or whatever NSS
/// serves): the one file that calls getpwnam_r, getpwuid_r, getgrnam_r, getgrgid_r and
/// getgrouplist, and reads `/proc/<pid>/status`.
public enum UserDatabase {
    /// The id of the group `name` (getgrnam_r), nil when there is none.
    public static func groupID(named name: String) -> UInt32? {
        withBuffer { buffer in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let status = getgrnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
            return (status, result == nil ? nil : entry.gr_gid)
        }
    }

    /// The name of group `gid` (getgrgid_r), nil when it has none.
    public static func groupName(_ gid: UInt32) -> String? {
        withBuffer { buffer in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let status = getgrgid_r(gid, &entry, buffer.baseAddress!, buffer.count, &result)
            return (status, result == nil ? nil : entry.gr_name.map { String(cString: $0) })
        }
    }

    /// The id of the user `name` (getpwnam_r), nil when there is none.
    public static func userID(named name: String) -> UInt32? {
        withBuffer { buffer in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let status = getpwnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
            return (status, result == nil ? nil : entry.pw_uid)
        }
    }

    /// The supplementary groups of process `pid` (the `Groups:` line of its status), or,
    /// when that cannot be read (`ProtectProc=invisible` hides other users' processes),
    /// the groups the database gives user `uid` (getgrouplist).
    public static func supplementaryGroups(pid: Int32, uid: UInt32) -> [UInt32] {
        if pid > 0, let text = readSmallFile("/proc/\(pid)/status"), let groups = ControlAccess.groups(inProcStatus: text) {
            return groups
        }
        return groupsOfUser(uid)
    }

    /// The groups the database gives user `uid`, primary group included; empty when unknown.
    public static func groupsOfUser(_ uid: UInt32) -> [UInt32] {
        let account: (name: String, gid: UInt32)? = withBuffer { buffer in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let status = getpwuid_r(uid, &entry, buffer.baseAddress!, buffer.count, &result)
            return (status, result == nil ? nil : entry.pw_name.map { (String(cString: $0), entry.pw_gid) })
        }
        guard let account else { return [] }
        var count: Int32 = 64
        while true {
            var groups = [gid_t](repeating: 0, count: Int(count))
            let before = count
            if getgrouplist(account.name, account.gid, &groups, &count) >= 0 {
                return Array(groups.prefix(Int(count)))
            }
            // Too small: `count` now says how many there are.
            guard count > before, count < 65_536 else { return [] }
        }
    }

    /// Runs a `get*_r` call with a buffer, growing it while the call says ERANGE.
    private static func withBuffer<T>(_ call: (UnsafeMutableBufferPointer<CChar>) -> (Int32, T?)) -> T? {
        var size = 1024
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            let (status, value) = buffer.withUnsafeMutableBufferPointer { call($0) }
            if status == ERANGE {
                size *= 4
                continue
            }
            return status == 0 ? value : nil
        }
        return nil
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        var length = 0
        while length < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + length, $0.count - length) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            length += n
        }
        return String(decoding: buffer[..<length], as: UTF8.self)
    }
}
