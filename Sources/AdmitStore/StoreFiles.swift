import GRDB

/// Opens Admit's SQLite files with the settings each needs.
enum StoreFiles {
    /// WAL, with `synchronous` FULL for the scan journal (every commit is fsync'ed before it
    /// returns, so it survives a power cut) or NORMAL for the ticket snapshot (a lost last page
    /// is simply fetched again).
    ///
    /// The level is set on the writer connection *after* the pool is open: when a pool turns
    /// WAL on, it sets `synchronous = NORMAL` on its writer, overriding anything set while the
    /// connection was being prepared. Under NORMAL a WAL commit is not synced at all, and a
    /// power cut loses the last scans. The level read back is checked, not assumed.
    static func open(path: String, durable: Bool) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        let level = durable ? 2 : 1  // FULL : NORMAL
        let actual = try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(level)")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        guard actual == level else {
            throw StoreError("set synchronous = \(level)", path: path, reason: "SQLite reports \(actual.map(String.init) ?? "nothing")")
        }
        return pool
    }

    /// The `synchronous` level of the pool's writer connection (2 = FULL, 1 = NORMAL).
    static func synchronousLevel(_ pool: DatabasePool) throws -> Int {
        try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }
}
