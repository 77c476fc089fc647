/// `[metrics]`: Prometheus exposition. `admitctl metrics` always works over the control
/// socket; `http_port` adds a plain HTTP endpoint on the loopback address.
public struct MetricsConfig: Sendable, Equatable {
    /// TCP port on 127.0.0.1 for `GET /metrics`; nil for none.
    public var httpPort: Int?

    /// No HTTP endpoint.
    public init(httpPort: Int? = nil) { self.httpPort = httpPort }

    init(_ top: inout ConfigSection) throws(ConfigError) {
        guard var s = try top.table("metrics") else { return }
        httpPort = try s.integer("http_port", in: 1...65535)
        try s.rejectUnknownKeys()
    }
}
