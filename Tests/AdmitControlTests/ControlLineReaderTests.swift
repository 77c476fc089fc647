import AdmitControl
import Testing

/// The control connection's line framing, as a script of chunks and the lines they give.
@Suite struct ControlLineReaderTests {
    private func lines(_ chunks: [String], limit: Int = 16) -> [ControlLineReader.Event] {
        var reader = ControlLineReader(maximumLength: limit)
        var events: [ControlLineReader.Event] = []
        for chunk in chunks { events += reader.receive(Array(chunk.utf8)) }
        return events + reader.finish()
    }

    private func line(_ text: String) -> ControlLineReader.Event { .line(Array(text.utf8)) }

    @Test func splitsLinesWhateverTheChunks() {
        #expect(lines(["{\"a\"", ":1}\n{\"b\":2}\n"]) == [line("{\"a\":1}"), line("{\"b\":2}")])
        #expect(lines(["x", "", "y\n", "\n"]) == [line("xy"), line("")])
    }

    @Test func aLastLineWithoutNewlineIsAnsweredAtTheEnd() {
        #expect(lines(["one\ntwo"]) == [line("one"), line("two")])
    }

    @Test func anOversizedLineIsReportedOnceAndTheNextLineReadsNormally() {
        let long = String(repeating: "x", count: 40)
        #expect(lines([long, long, "\nok\n"]) == [.tooLong, line("ok")])
        // Exactly the limit is fine, one more is not.
        #expect(lines([String(repeating: "y", count: 16) + "\n"]) == [line(String(repeating: "y", count: 16))])
        #expect(lines([String(repeating: "y", count: 17) + "\n"]) == [.tooLong])
    }

    @Test func neverHoldsMoreThanTheLimit() {
        var reader = ControlLineReader(maximumLength: 100)
        for _ in 0..<1000 {
            _ = reader.receive([UInt8](repeating: 65, count: 77))
            #expect(reader.bufferedCount <= 100)
        }
        #expect(reader.hasPartialLine)
        #expect(reader.finish().isEmpty, "the rest of an oversized line is dropped")
    }

    @Test(arguments: [
        ("{\"cmd\":\"status\"}", ControlRequest.Parsed.request(ControlRequest(cmd: "status"))),
        ("{\"cmd\":\"scan\",\"barcode\":\"4006\"}\r", .request(ControlRequest(cmd: "scan", barcode: "4006"))),
        ("{\"cmd\":\"recent\",\"limit\":5}", .request(ControlRequest(cmd: "recent", limit: 5))),
        ("  \t\r", .blank),
    ])
    func parsesRequests(text: String, expected: ControlRequest.Parsed) {
        #expect(ControlRequest.parse(line: Array(text.utf8)) == expected)
    }

    @Test(arguments: ["not json", "{}", "{\"cmd\": 3}", "[1,2]", "{\"cmd\":\"x\",\"limit\":1e400}", "\u{0}"])
    func malformedLinesGetAnError(text: String) {
        guard case .malformed(let message) = ControlRequest.parse(line: Array(text.utf8)) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(message.contains("malformed request"))
    }
}
