import CNats

/// One message read from a stream.
public struct StreamMessage: Sendable, Equatable {
    /// Its sequence in the stream.
    public var sequence: UInt64
    /// The subject it was published to.
    public var subject: String
    /// Its payload.
    public var data: [UInt8]
    /// When the stream stored it, in milliseconds since 1970 (the server's clock).
    public var storedAtMilliseconds: Int64
}

/// An ordered consumer of a stream from a given sequence (`js_SubscribeSync` with
/// `Ordered`): messages come in stream order with no acks; libnats recreates the consumer
/// after a gap or a reconnect. `next` blocks its thread. Unsubscribed and freed in `deinit`.
public final class StreamSubscription: @unchecked Sendable {
    private let subscription: OpaquePointer
    private let stream: String

    /// Subscribes to `subjects` (a filter such as `admit.e1.>`) of `stream`, from sequence
    /// `start` (1 for the whole stream).
    public init(_ connection: NatsConnection, stream: String, subjects: String, start: UInt64) throws(NatsError) {
        self.stream = stream
        var options = jsSubOptions()
        jsSubOptions_Init(&options)
        options.Ordered = true
        options.Config.DeliverPolicy = js_DeliverByStartSequence
        options.Config.OptStartSeq = max(start, 1)
        var sub: OpaquePointer?
        var jsError = jsErrCode(rawValue: 0)
        let status = stream.withCString { name in
            options.Stream = name
            return js_SubscribeSync(&sub, connection.jetStream, subjects, nil, &options, &jsError)
        }
        try natsCheck(status, "subscribe to stream \(stream) from sequence \(start)", js: jsError)
        guard let sub else { throw NatsError(.other, operation: "subscribe to stream \(stream)", reason: "no subscription") }
        natsSubscription_SetPendingLimits(sub, 1_000_000, 512 * 1024 * 1024)
        subscription = sub
    }

    deinit {
        natsSubscription_Unsubscribe(subscription)
        natsSubscription_Destroy(subscription)
    }

    /// The next message, or nil when none came within `timeoutMilliseconds`
    /// (`natsSubscription_NextMsg`).
    public func next(timeoutMilliseconds: Int64) throws(NatsError) -> StreamMessage? {
        var message: OpaquePointer?
        let status = natsSubscription_NextMsg(&message, subscription, timeoutMilliseconds)
        if status == NATS_TIMEOUT { return nil }
        try natsCheck(status, "read stream \(stream)")
        guard let message else { return nil }
        defer { natsMsg_Destroy(message) }
        var meta: UnsafeMutablePointer<jsMsgMetaData>?
        try natsCheck(natsMsg_GetMetaData(&meta, message), "read the metadata of a message of \(stream)")
        defer { if let meta { jsMsgMetaData_Destroy(meta) } }
        let length = Int(natsMsg_GetDataLength(message))
        var data = [UInt8](repeating: 0, count: length)
        if length > 0, let bytes = natsMsg_GetData(message) {
            data.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: length)) }
        }
        return StreamMessage(
            sequence: meta?.pointee.Sequence.Stream ?? 0, subject: String(cString: natsMsg_GetSubject(message)),
            data: data, storedAtMilliseconds: (meta?.pointee.Timestamp ?? 0) / 1_000_000)
    }

    /// Messages delivered to this client and not yet read.
    public var queued: Int {
        var messages: Int32 = 0
        var bytes: Int32 = 0
        guard natsSubscription_GetPending(subscription, &messages, &bytes) == NATS_OK else { return 0 }
        return Int(messages)
    }
}
