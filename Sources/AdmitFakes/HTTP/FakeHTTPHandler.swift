import NIOCore
import NIOHTTP1

/// Collects one request at a time from the HTTP/1.1 pipeline and answers it through
/// `FakeHTTPServer`: body limit, faults, routes, then the response with `Date`.
final class FakeHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: FakeHTTPServer
    private let connection: Int
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(server: FakeHTTPServer, connection: Int) {
        self.server = server
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            tooLarge = false
            if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }),
                length > server.maxBodyBytes
            {
                tooLarge = true
            }
        case .body(var chunk):
            guard !tooLarge else { return }
            if body.readableBytes + chunk.readableBytes > server.maxBodyBytes {
                tooLarge = true
                body.clear()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            server.count(path: head.uri)
            if tooLarge {
                let limit = server.maxBodyBytes
                let response = FakeHTTPResponse.error(.payloadTooLarge, "request body exceeds \(limit) bytes")
                write(response, for: head, close: true, context: context)
                return
            }
            let request = FakeHTTPRequest(method: head.method, uri: head.uri, headers: head.headers, body: body, connection: connection)
            body = ByteBuffer()
            if case .slow(let milliseconds) = server.fault {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                    guard context.channel.isActive else { return }
                    self.answer(request, head: head, context: context)
                }
            } else {
                answer(request, head: head, context: context)
            }
        }
    }

    private func answer(_ request: FakeHTTPRequest, head: HTTPRequestHead, context: ChannelHandlerContext) {
        switch server.fault {
        case .down:
            context.close(promise: nil)
        case .serverError:
            write(.error(.internalServerError, "internal server error (fault injected)"), for: head, context: context)
        case .unauthorized:
            write(.error(.unauthorized, "token is invalid or revoked"), for: head, context: context)
        case .dropAfterProcessing:
            _ = server.routes.respond(to: request)
            context.close(promise: nil)
        case .garbage:
            _ = server.routes.respond(to: request)
            let html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
            write(FakeHTTPResponse(status: .ok, body: ByteBuffer(string: html)), for: head, context: context)
        case .truncated:
            var response = server.routes.respond(to: request)
            let cut = max(1, response.body.readableBytes / 2)
            response.body = response.body.getSlice(at: response.body.readerIndex, length: cut) ?? ByteBuffer()
            response.status = .ok
            write(response, for: head, context: context)
        case .slow, nil:
            let response = server.routes.respond(to: request)
            guard response.delayMilliseconds > 0 else {
                write(response, for: head, context: context)
                return
            }
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(response.delayMilliseconds)) {
                guard context.channel.isActive else { return }
                self.write(response, for: head, context: context)
            }
        }
    }

    private func write(
        _ response: FakeHTTPResponse, for request: HTTPRequestHead, close: Bool = false,
        context: ChannelHandlerContext
    ) {
        let keepAlive = request.isKeepAlive && !close
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(response.body.readableBytes))
        headers.add(name: "Date", value: HTTPDate.format(server.clock.now))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: request.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
