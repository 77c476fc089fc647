@testable import AdmitConfiguration
import Testing

/// Admit's TOML reader against the TOML 1.0 specification's own examples, and the
/// documents it must refuse, each by line.
@Suite struct TOMLReaderTests {
    private func read(_ text: String) throws(ConfigError) -> [String: ConfigValue] { try ConfigValue.parse(toml: text).tree }

    @Test func strings() throws {
        let tree = try read(#"""
            basic = "tab\there \u00E9 \U0001F600 \"q\" \\ \b\f\r\n"
            literal = 'C:\Users\nodejs\templates'
            lines = """
            Roses are red
            Violets are blue"""
            folded = """\
                   The quick brown \
                   fox."""
            quotes = """Here are two quotation marks: "". Simple enough.""""
            raw = '''
            The first newline is
            trimmed in raw strings.
            '''
            apos = ''''That,' she said.''''
            empty = ""
            """#)
        #expect(tree["basic"] == .string("tab\there é 😀 \"q\" \\ \u{8}\u{C}\r\n"))
        #expect(tree["literal"] == .string(#"C:\Users\nodejs\templates"#))
        #expect(tree["lines"] == .string("Roses are red\nViolets are blue"))
        #expect(tree["folded"] == .string("The quick brown fox."))
        #expect(tree["quotes"] == .string("Here are two quotation marks: \"\". Simple enough.\""))
        #expect(tree["raw"] == .string("The first newline is\ntrimmed in raw strings.\n"))
        #expect(tree["apos"] == .string("'That,' she said.'"))
        #expect(tree["empty"] == .string(""))
    }

    @Test func numbersBooleansAndDates() throws {
        let tree = try read("""
            a = +99\nb = -17\nc = 0\nd = 1_000\ne = 0xDEAD_beef\nf = 0o755\ng = 0b1101
            h = 3.14\ni = -0.01\nj = 5e+22\nk = 1e06\nl = -2E-2\nm = 224_617.445_991\nn = -inf\no = nan
            p = true\nq = false
            r = 1979-05-27T07:32:00Z\ns = 1979-05-27T00:32:00.999999-07:00\nt = 1979-05-27 07:32:00\nu = 1979-05-27\nv = 07:32:00.5
            """)
        #expect([tree["a"], tree["b"], tree["c"], tree["d"]] == [.integer(99), .integer(-17), .integer(0), .integer(1000)])
        #expect([tree["e"], tree["f"], tree["g"]] == [.integer(0xDEAD_BEEF), .integer(0o755), .integer(13)])
        #expect([tree["h"], tree["i"], tree["j"], tree["k"], tree["l"]] == [.double(3.14), .double(-0.01), .double(5e22), .double(1e6), .double(-0.02)])
        #expect(tree["m"] == .double(224_617.445_991))
        #expect(tree["n"] == .double(-.infinity))
        if case .double(let nan) = tree["o"] { #expect(nan.isNaN) } else { Issue.record("nan") }
        #expect(tree["p"] == .bool(true) && tree["q"] == .bool(false))
        #expect(tree["r"] == .string("1979-05-27T07:32:00Z"))
        #expect(tree["s"] == .string("1979-05-27T00:32:00.999999-07:00"))
        #expect(tree["t"] == .string("1979-05-27 07:32:00"))
        #expect(tree["u"] == .string("1979-05-27") && tree["v"] == .string("07:32:00.5"))
    }

    @Test func keysTablesAndArrays() throws {
        let tree = try read("""
            "key with space" = 1\r
            'literal' = 2
            site."google.com" = true
            a.b.c = 3
            point = { x = 1, y.z = 2 }
            list = [ 1, "two", [3.0], { four = 4 }, ]
            long = [
              1, # one
              2,
            ]
            [x.y.z.w]
            [x]
            v = 1
            [[fruit]]
            name = "apple"
            [fruit.physical]
            color = "red"
            [[fruit.varieties]]
            name = "red delicious"
            [[fruit]]
            name = "banana"
            """)
        #expect(tree["key with space"] == .integer(1) && tree["literal"] == .integer(2))
        #expect(tree["site"] == .table(["google.com": .bool(true)]))
        #expect(tree["a"] == .table(["b": .table(["c": .integer(3)])]))
        #expect(tree["point"] == .table(["x": .integer(1), "y": .table(["z": .integer(2)])]))
        #expect(tree["list"] == .array([.integer(1), .string("two"), .array([.double(3)]), .table(["four": .integer(4)])]))
        #expect(tree["long"] == .array([.integer(1), .integer(2)]))
        #expect(tree["x"] == .table(["v": .integer(1), "y": .table(["z": .table(["w": .table([:])])])]))
        #expect(tree["fruit"] == .array([
            .table([
                "name": .string("apple"), "physical": .table(["color": .string("red")]),
                "varieties": .array([.table(["name": .string("red delicious")])]),
            ]),
            .table(["name": .string("banana")]),
        ]))
    }

    @Test func everyTableAndKeyKeepsItsLine() throws {
        let lines = try ConfigValue.parse(toml: """
            [gate]\r
            name = "g"\r
            [[scanner]]
            kind = "stdin"
            [[scanner]]

            match = { vendor = "0c2e" }
            """).lines
        #expect(lines == [
            "gate": 1, "gate.name": 2, "scanner[0]": 3, "scanner[0].kind": 4, "scanner[1]": 5,
            "scanner[1].match": 7, "scanner[1].match.vendor": 7,
        ])
    }

    @Test(arguments: [
        ("a = 1\na = 2", 2, "key a is defined twice"),
        ("[t]\n[t]", 2, "table [t] is defined twice"),
        ("a.b = 1\n[a]", 2, "table [a] is defined twice"),
        ("[a.b]\n[a]\nb.c = 1", 3, "b is a [table]: dotted keys cannot add to it"),
        ("p = { x = 1 }\np.y = 2", 2, "p is an inline table"),
        ("p = { x = 1 }\n[p.q]", 2, "p is an inline table"),
        ("a = []\n[[a]]", 2, "[[a]] names a key that holds a value"),
        ("[a]\n[[a]]", 2, "[[a]] names a table"),
        ("p = { x = 1,\n y = 2 }", 1, "must stay on one line"),
        ("p = { x = 1, }", 1, "expected a key, found '}'"),
        ("a = 01", 1, "not a value (text must be in quotes"),
        ("a = 1__0", 1, "not a value (text must be in quotes"),
        ("a = _1", 1, "not a value (text must be in quotes"),
        ("a = 0x", 1, "not a number (column 5)"),
        ("a = 1.", 1, "not a number (column 5)"),
        ("a = .5", 1, "not a number (column 5)"),
        ("a = 1e", 1, "not a number (column 5)"),
        ("a = 9223372036854775808", 1, "an integer beyond 64 bits"),
        ("a = 2024-13-01", 1, "not a date or time"),
        ("a = 25:00:00", 1, "not a date or time"),
        ("a = \"\\q\"", 1, "unknown escape in a string: a backslash followed by 'q'"),
        ("a = \"\\uD800\"", 1, "is not a Unicode scalar value"),
        ("a = \"\\u12\"", 1, "needs 4 hexadecimal digits"),
        ("\n\na = \"open", 3, "the string does not end"),
        ("a = \"one\ntwo\"", 1, "does not end on its line"),
        ("a", 1, "expected '=' after the key, found the end of the file"),
        ("a = 1 2", 1, "expected the end of the line, found '2'"),
        ("a =", 1, "expected a value, found the end of the file"),
        ("a = [1 2]", 1, "expected ',' or ']' in the list, found '2'"),
        ("a = \"\"\"x\"\"\"\"\"\"", 1, "too many quotes"),
        ("a = 1\rb = 2", 1, "control character U+000D"),
        ("\"\"\"k\"\"\" = 1", 1, "a key cannot be a multi-line string"),
        ("[a]]", 1, "expected the end of the line, found ']'"),
        ("[[a]", 1, "expected ']]' to close the array-of-tables header"),
        ("a = " + String(repeating: "[", count: 65) + String(repeating: "]", count: 65), 1, "nested deeper than 64"),
        (String(repeating: "a.", count: 100_000) + "b = 1", 1, "a key of more than 64 parts"),
        ("[" + String(repeating: "a.", count: 64) + "b]", 1, "a key of more than 64 parts"),
    ])
    func refusals(text: String, line: Int, message: String) {
        do {
            let tree = try read(text)
            Issue.record("accepted \(text): \(tree)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }
}
