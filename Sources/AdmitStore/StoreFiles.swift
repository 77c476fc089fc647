import GRDB

/// Opens Admit's SQLite files with the settings each needs.
enum StoreFiles {
    /// WAL, with `synchronous` FULL for the scan journal (every commit survives a power cut)
    /// or NORMAL for the ticket snapshot (a lost last page is simply fetched again).
    static func open(path: String, durable: Bool) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(durable ? "FULL" : "NORMAL")")
        }
        return try DatabasePool(path: path, configuration: configuration)
    }
}
