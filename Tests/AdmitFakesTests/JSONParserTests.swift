import Testing

@testable import AdmitFakes

@Test func jsonParserReadsAndRefuses() {
    let text = #" {"a":[1,-2.5e3,true,false,null,"x\"\u00e9\ud83d\ude00\n"],"b":{}, "c":[]} "#
    let value = FakeJSONValue.parse(Array(text.utf8))
    #expect(value == .object([
        "a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("x\"é😀\n")]),
        "b": .object([:]), "c": .array([]),
    ]))
    for bad in ["", "[", "[1,]", "{\"a\"}", "01x", "\"\u{01}\"", "[1] 2", "tru", "{\"a\":1,}", "-", "1."] {
        #expect(FakeJSONValue.parse(Array(bad.utf8)) == nil, "\(bad)")
    }
}
