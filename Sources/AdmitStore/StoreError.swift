/// A failure of the local store, naming the file and what was being done.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What was being done, e.g. "record 3 scans".
    public var operation: String
    /// The database file.
    public var path: String
    /// The underlying error, in words (SQLite's message, e.g. "database or disk is full").
    public var reason: String

    /// Creates a store error.
    public init(_ operation: String, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot \(operation) in \(path): \(reason)" }
}

/// Runs `body`, turning any error into a `StoreError` that says what was being done.
func storeOperation<T>(_ operation: String, path: String, _ body: () throws -> T) throws(StoreError) -> T {
    do {
        return try body()
    } catch let error as StoreError {
        throw error
    } catch {
        throw StoreError(operation, path: path, reason: "\(error)")
    }
}
