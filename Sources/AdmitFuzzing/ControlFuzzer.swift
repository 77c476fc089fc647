import AdmitControl

/// Bytes of a control connection, in chunks of any size: the line reader never holds more
/// than its limit, every line it gives is within the limit, and every request that parses
/// survives a round trip through the protocol's JSON.
enum ControlFuzzer {
    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let limit = Int(input.uint16() % 2048) + 1
        var reader = ControlLineReader(maximumLength: limit)
        var events: [ControlLineReader.Event] = []
        while !input.isEmpty {
            let chunk = input.take(Int(input.byte()) + 1)
            events += reader.receive(chunk)
            expect(reader.bufferedCount <= limit, "the reader holds \(reader.bufferedCount) bytes, limit \(limit)")
        }
        events += reader.finish()
        expect(!reader.hasPartialLine, "a partial line after the end of the stream")
        for event in events {
            guard case .line(let line) = event else { continue }
            expect(line.count <= limit, "a line longer than the limit")
            expect(!line.contains(10), "a newline inside a line")
            guard case .request(let request) = ControlRequest.parse(line: line) else { continue }
            let again = ControlRequest.parse(line: ControlJSON.encode(request))
            expect(again == .request(request), "a request does not survive encoding: \(request)")
        }
    }
}
