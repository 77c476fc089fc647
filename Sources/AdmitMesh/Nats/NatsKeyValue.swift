import CNats

/// One key's value and revision.
public struct KeyValueEntry: Sendable, Equatable {
    /// The value's bytes as text.
    public var value: String
    /// The key's revision (its sequence in the bucket's stream), for compare-and-set.
    public var revision: UInt64

    /// An entry.
    public init(value: String, revision: UInt64) {
        self.value = value
        self.revision = revision
    }
}

/// A JetStream key-value bucket (`kvStore`). Every call blocks its thread. Freed in `deinit`.
public final class KeyValueBucket: @unchecked Sendable {
    private let store: OpaquePointer
    /// The bucket's name.
    public let name: String

    /// Opens the bucket `name`, creating it when absent (`js_CreateKeyValue` binds to an
    /// existing bucket of the same configuration).
    public init(_ connection: NatsConnection, name: String, replicas: Int) throws(NatsError) {
        self.name = name
        var kv: OpaquePointer?
        var status = js_KeyValue(&kv, connection.jetStream, name)
        if status != NATS_OK {
            var config = kvConfig()
            kvConfig_Init(&config)
            config.History = 1
            config.StorageType = js_FileStorage
            config.Replicas = Int32(replicas)
            status = name.withCString { bucket in
                config.Bucket = bucket
                return js_CreateKeyValue(&kv, connection.jetStream, &config)
            }
        }
        try natsCheck(status, "open the key-value bucket \(name)")
        guard let kv else { throw NatsError(.other, operation: "open the key-value bucket \(name)", reason: "no bucket") }
        store = kv
    }

    deinit { kvStore_Destroy(store) }

    /// Stores `value` under `key` only if the key does not exist (`kvStore_CreateString`);
    /// returns the new revision. A key that exists fails with `.keyExists`.
    public func create(_ key: String, value: String) throws(NatsError) -> UInt64 {
        var revision: UInt64 = 0
        let status = kvStore_CreateString(&revision, store, key, value)
        if status == NATS_OK { return revision }
        do {
            try natsCheck(status, "claim \(key) in \(name)")
        } catch where error.code == .other {
            throw NatsError(.keyExists, operation: error.operation, reason: error.reason)
        }
        return revision
    }

    /// Replaces `key`'s value if its revision is still `last` (`kvStore_UpdateString`);
    /// returns the new revision, or fails with `.wrongRevision` when someone was first.
    public func update(_ key: String, value: String, last: UInt64) throws(NatsError) -> UInt64 {
        var revision: UInt64 = 0
        let status = kvStore_UpdateString(&revision, store, key, value, last)
        if status == NATS_OK { return revision }
        do {
            try natsCheck(status, "update \(key) in \(name)")
        } catch where error.code == .other {
            throw NatsError(.wrongRevision, operation: error.operation, reason: error.reason)
        }
        return revision
    }

    /// The key's value and revision, or nil when absent (`kvStore_Get`).
    public func get(_ key: String) throws(NatsError) -> KeyValueEntry? {
        var entry: OpaquePointer?
        let status = kvStore_Get(&entry, store, key)
        if status == NATS_NOT_FOUND { return nil }
        try natsCheck(status, "read \(key) in \(name)")
        guard let entry else { return nil }
        defer { kvEntry_Destroy(entry) }
        return KeyValueEntry(value: String(cString: kvEntry_ValueString(entry)), revision: kvEntry_Revision(entry))
    }
}
