import CNats

/// How to reach the NATS servers of a venue.
public struct NatsOptions: Sendable, Equatable {
    /// Server URLs, e.g. `nats://10.0.0.5:4222`; the client fails over between them.
    public var servers: [String]
    /// The name this client shows in the server's monitoring (the gate's name).
    public var name: String
    /// A `.creds` file (JWT and nkey seed), or nil.
    public var credentialsFile: String?
    /// A file holding an nkey seed (`SU…`), or nil.
    public var nkeySeedFile: String?
    /// User and password, or nil.
    public var user: String?
    /// The password that goes with `user`.
    public var password: String?
    /// CA certificates (PEM) to trust; setting it turns TLS on.
    public var tlsCAFile: String?
    /// Client certificate and key (PEM), for servers that verify clients.
    public var tlsCertificateFile: String?
    /// The key of `tlsCertificateFile`.
    public var tlsKeyFile: String?
    /// Requires TLS even without a CA file (system trust).
    public var tlsRequired: Bool
    /// How long one JetStream request may take before it fails, in milliseconds.
    public var requestTimeoutMilliseconds: Int64
    /// Pause between reconnect attempts, in milliseconds.
    public var reconnectWaitMilliseconds: Int64

    /// Options for `servers`, no credentials, no TLS.
    public init(
        servers: [String], name: String, credentialsFile: String? = nil, nkeySeedFile: String? = nil,
        user: String? = nil, password: String? = nil, tlsCAFile: String? = nil, tlsCertificateFile: String? = nil,
        tlsKeyFile: String? = nil, tlsRequired: Bool = false, requestTimeoutMilliseconds: Int64 = 2000,
        reconnectWaitMilliseconds: Int64 = 250
    ) {
        self.servers = servers
        self.name = name
        self.credentialsFile = credentialsFile
        self.nkeySeedFile = nkeySeedFile
        self.user = user
        self.password = password
        self.tlsCAFile = tlsCAFile
        self.tlsCertificateFile = tlsCertificateFile
        self.tlsKeyFile = tlsKeyFile
        self.tlsRequired = tlsRequired
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.reconnectWaitMilliseconds = reconnectWaitMilliseconds
    }
}

/// What the server answered to a stream publish.
public struct PublishAck: Sendable, Equatable {
    /// The message's sequence in the stream.
    public var sequence: UInt64
    /// True when the stream already held a message with this id (nothing was added).
    public var duplicate: Bool

    /// An acknowledgement.
    public init(sequence: UInt64, duplicate: Bool) {
        self.sequence = sequence
        self.duplicate = duplicate
    }
}

/// A stream's extent.
public struct StreamState: Sendable, Equatable {
    /// Messages held.
    public var messages: UInt64
    /// Sequence of the newest message (0 when empty).
    public var lastSequence: UInt64

    /// A state.
    public init(messages: UInt64, lastSequence: UInt64) {
        self.messages = messages
        self.lastSequence = lastSequence
    }
}

/// One connection to NATS with its JetStream context (`natsConnection`, `jsCtx`).
///
/// It connects in the background and keeps reconnecting for ever (the servers may be down
/// when the gate starts); calls made meanwhile fail with `.notConnected` or `.timeout`.
/// Every call blocks its thread on the network: never call it from the gate queue. libnats
/// is thread-safe, so one connection serves the publisher, the consumer and strict claims.
/// The connection is closed and freed in `deinit`.
public final class NatsConnection: @unchecked Sendable {
    private let connection: OpaquePointer
    let jetStream: OpaquePointer
    /// The options it was made with.
    public let options: NatsOptions

    /// Starts connecting (`natsConnection_Connect` with retry on failed connect).
    public init(_ options: NatsOptions) throws(NatsError) {
        self.options = options
        var opts: OpaquePointer?
        try natsCheck(natsOptions_Create(&opts), "create NATS options")
        defer { natsOptions_Destroy(opts) }
        try withCStrings(options.servers) { (urls) throws(NatsError) in
            var pointers = urls
            try natsCheck(natsOptions_SetServers(opts, &pointers, Int32(urls.count)), "set the NATS servers \(options.servers)")
        }
        try natsCheck(natsOptions_SetName(opts, options.name), "set the NATS client name")
        try natsCheck(natsOptions_SetMaxReconnect(opts, -1), "set reconnects")
        try natsCheck(natsOptions_SetReconnectWait(opts, options.reconnectWaitMilliseconds), "set the reconnect wait")
        try natsCheck(natsOptions_SetTimeout(opts, options.requestTimeoutMilliseconds), "set the connect timeout")
        // With a connected callback, connecting does not block while the servers are down:
        // natsConnection_Connect returns NATS_NOT_YET_CONNECTED and keeps trying.
        try natsCheck(natsOptions_SetRetryOnFailedConnect(opts, true, { _, _ in }, nil), "set retry on failed connect")
        try natsCheck(natsOptions_SetNoRandomize(opts, true), "keep the servers in order")
        if let file = options.credentialsFile {
            try natsCheck(natsOptions_SetUserCredentialsFromFiles(opts, file, nil), "read NATS credentials from \(file)")
        }
        if let file = options.nkeySeedFile {
            try natsCheck(natsOptions_SetNKeyFromSeed(opts, nil, file), "read the nkey seed from \(file)")
        }
        if let user = options.user {
            try natsCheck(natsOptions_SetUserInfo(opts, user, options.password ?? ""), "set the NATS user")
        }
        if options.tlsRequired || options.tlsCAFile != nil || options.tlsCertificateFile != nil {
            try natsCheck(natsOptions_SetSecure(opts, true), "turn TLS on")
        }
        if let file = options.tlsCAFile {
            try natsCheck(natsOptions_LoadCATrustedCertificates(opts, file), "load CA certificates from \(file)")
        }
        if let cert = options.tlsCertificateFile, let key = options.tlsKeyFile {
            try natsCheck(natsOptions_LoadCertificatesChain(opts, cert, key), "load the client certificate \(cert)")
        }
        var nc: OpaquePointer?
        let status = natsConnection_Connect(&nc, opts)
        if status != NATS_NOT_YET_CONNECTED { try natsCheck(status, "connect to \(options.servers)") }
        guard let nc else { throw NatsError(.other, operation: "connect to \(options.servers)", reason: "no connection") }
        var jsOpts = jsOptions()
        jsOptions_Init(&jsOpts)
        jsOpts.Wait = options.requestTimeoutMilliseconds
        var js: OpaquePointer?
        let made = natsConnection_JetStream(&js, nc, &jsOpts)
        guard made == NATS_OK, let js else {
            natsConnection_Destroy(nc)
            try natsCheck(made, "open JetStream")
            throw NatsError(.other, operation: "open JetStream", reason: "no context")
        }
        connection = nc
        jetStream = js
    }

    deinit {
        jsCtx_Destroy(jetStream)
        natsConnection_Close(connection)
        natsConnection_Destroy(connection)
    }

    /// True while connected to a server.
    public var isConnected: Bool { natsConnection_Status(connection) == NATS_CONN_STATUS_CONNECTED }

    /// The URL of the server connected to, or nil.
    public var connectedURL: String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard natsConnection_GetConnectedUrl(connection, &buffer, buffer.count) == NATS_OK, buffer[0] != 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates the stream `name` over `subjects` if absent, or brings its subjects,
    /// replicas and duplicate window to these (`js_AddStream`, then `js_UpdateStream`).
    public func ensureStream(name: String, subjects: [String], replicas: Int, duplicateWindowSeconds: Int64) throws(NatsError) {
        try withCStrings([name] + subjects) { (strings) throws(NatsError) in
            var subjectPointers = Array(strings.dropFirst())
            try subjectPointers.withUnsafeMutableBufferPointer { (buffer) throws(NatsError) in
                var config = jsStreamConfig()
                jsStreamConfig_Init(&config)
                config.Name = strings[0]
                config.Subjects = buffer.baseAddress
                config.SubjectsLen = Int32(buffer.count)
                config.Storage = js_FileStorage
                config.Replicas = Int64(replicas)
                config.Duplicates = duplicateWindowSeconds * 1_000_000_000
                var info: UnsafeMutablePointer<jsStreamInfo>?
                var jsError = jsErrCode(rawValue: 0)
                var status = js_AddStream(&info, jetStream, &config, nil, &jsError)
                if status != NATS_OK, jsError == JSStreamNameExistErr {
                    jsError = jsErrCode(rawValue: 0)
                    status = js_UpdateStream(&info, jetStream, &config, nil, &jsError)
                }
                if let info { jsStreamInfo_Destroy(info) }
                try natsCheck(status, "create the stream \(name)", js: jsError)
            }
        }
    }

    /// Publishes `data` to `subject` with `messageID` as `Nats-Msg-Id` (`js_Publish`): the
    /// stream keeps one message per id within its duplicate window.
    public func publish(subject: String, data: [UInt8], messageID: String) throws(NatsError) -> PublishAck {
        try withCStrings([messageID]) { (ids) throws(NatsError) in
            var options = jsPubOptions()
            jsPubOptions_Init(&options)
            options.MsgId = ids[0]
            var ack: UnsafeMutablePointer<jsPubAck>?
            var jsError = jsErrCode(rawValue: 0)
            let status = data.withUnsafeBytes { bytes in
                js_Publish(&ack, jetStream, subject, bytes.baseAddress, Int32(bytes.count), &options, &jsError)
            }
            defer { if let ack { jsPubAck_Destroy(ack) } }
            try natsCheck(status, "publish to \(subject)", js: jsError)
            guard let ack else { throw NatsError(.other, operation: "publish to \(subject)", reason: "no acknowledgement") }
            return PublishAck(sequence: ack.pointee.Sequence, duplicate: ack.pointee.Duplicate)
        }
    }

    /// The stream's extent (`js_GetStreamInfo`).
    public func streamState(_ name: String) throws(NatsError) -> StreamState {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var jsError = jsErrCode(rawValue: 0)
        let status = js_GetStreamInfo(&info, jetStream, name, nil, &jsError)
        defer { if let info { jsStreamInfo_Destroy(info) } }
        try natsCheck(status, "read the state of stream \(name)", js: jsError)
        guard let info else { throw NatsError(.other, operation: "read the state of stream \(name)", reason: "no answer") }
        return StreamState(messages: info.pointee.State.Msgs, lastSequence: info.pointee.State.LastSeq)
    }
}
