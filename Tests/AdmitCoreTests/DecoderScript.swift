import AdmitCore
import Foundation

/// Runs a decoder test script (keyd's `t/*.t` spirit): plain lines of keys, bytes, pauses
/// and expectations, against a fresh `KeystrokeDecoder` or `SerialFramer` per case.
///
///     config keymap=de terminator=enter timeout=100 aim=on prefix=X suffix=Y max=20
///     case "German Z"          # a new case: fresh decoder, time 0
///     step 2                   # milliseconds between taps (2 at the start of each case)
///     tap shift+z y enter      # each token: modifiers held, keys tapped, then time steps
///     z down / z up / z repeat # single events at the current time
///     wait 150                 # time passes; the decoder's deadline is honoured
///     dropped                  # SYN_DROPPED
///     send "AB\x03"            # serial bytes (in a `config serial` file)
///     expect "Zy"              # next output is this barcode (escapes \r \n \t \xHH)
///     expect "Zy" symbology E0
///     expect discarded timed-out "partial"
///     expect nothing           # no output left
struct DecoderScript {
    struct Failure: CustomStringConvertible {
        var line: Int
        var text: String
        var message: String
        var description: String { "line \(line): \(text)\n    \(message)" }
    }

    private enum Machine {
        case keys(KeystrokeDecoder)
        case serial(SerialFramer)
    }

    private var keyConfiguration = KeystrokeDecoder.Configuration()
    private var serialConfiguration = SerialFramer.Configuration()
    private var framing = BarcodeFraming()
    private var isSerial = false
    private var machine: Machine?
    private var now = MonotonicInstant(milliseconds: 1_000_000)
    private var stepMilliseconds: UInt64 = 2
    private var outputs: [DecoderOutput] = []
    private(set) var failures: [Failure] = []
    private(set) var casesRun = 0
    private var currentCase = ""

    /// Runs every line of `source`; failures are collected, not thrown.
    static func run(_ source: String) -> DecoderScript {
        var script = DecoderScript()
        for (index, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            do {
                try script.execute(line)
            } catch {
                script.failures.append(Failure(line: index + 1, text: "[\(script.currentCase)] " + line, message: "\(error)"))
            }
        }
        script.finishCase()
        return script
    }

    private mutating func execute(_ line: String) throws {
        let words = DecoderScriptLexer.words(line)
        guard let command = words.first else { return }
        let arguments = Array(words.dropFirst())
        switch command {
        case "config": try configure(arguments)
        case "case":
            finishCase()
            startCase(arguments.first ?? "")
        case "step": stepMilliseconds = try DecoderScriptLexer.number(arguments.first)
        case "wait": try wait(DecoderScriptLexer.number(arguments.first))
        case "tap": for token in arguments { try tap(token) }
        case "dropped": try feedKey(.eventsDropped(at: now))
        case "send": try send(DecoderScriptLexer.bytes(arguments.first ?? ""))
        case "expect": try expect(arguments)
        default:
            guard arguments.count == 1, let key = KeyCode.named(command) else { throw ScriptError("unknown line") }
            let action: KeyAction = switch arguments[0] {
            case "down": .down
            case "up": .up
            case "repeat": .repeat
            default: throw ScriptError("expected down, up or repeat")
            }
            try feedKey(.key(key, action, at: now))
        }
    }

    private mutating func configure(_ arguments: [String]) throws {
        for argument in arguments {
            if argument == "serial" { isSerial = true; continue }
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { throw ScriptError("config needs key=value, got \(argument)") }
            let value = DecoderScriptLexer.unescape(parts[1])
            switch parts[0] {
            case "keymap":
                guard let keymap = Keymap.named(value) else { throw ScriptError("no keymap \(value)") }
                keyConfiguration.keymap = keymap
            case "terminator" where isSerial:
                guard let terminator = SerialTerminator(rawValue: value) else { throw ScriptError("bad terminator") }
                serialConfiguration.terminator = terminator
            case "terminator":
                keyConfiguration.terminators = value == "none" ? [] : Set(try value.split(separator: ",").map {
                    guard let t = KeystrokeTerminator(rawValue: String($0)) else { throw ScriptError("bad terminator") }
                    return t
                })
            case "timeout":
                keyConfiguration.interKeyTimeoutMilliseconds = try DecoderScriptLexer.number(value)
                serialConfiguration.interByteTimeoutMilliseconds = try DecoderScriptLexer.number(value)
            case "aim": framing.aim = value == "on"
            case "prefix": framing.prefix = value
            case "suffix": framing.suffix = value
            case "max": framing.maxLength = Int(try DecoderScriptLexer.number(value))
            case "symbologies": framing.allowedSymbologies = Set(value.split(separator: ",").map(String.init))
            default: throw ScriptError("unknown config \(parts[0])")
            }
        }
    }

    private mutating func startCase(_ name: String) {
        currentCase = name
        casesRun += 1
        keyConfiguration.framing = framing
        serialConfiguration.framing = framing
        machine = isSerial ? .serial(SerialFramer(serialConfiguration)) : .keys(KeystrokeDecoder(keyConfiguration))
        now = MonotonicInstant(milliseconds: 1_000_000)
        stepMilliseconds = 2
        outputs = []
    }

    private mutating func finishCase() {
        if !outputs.isEmpty {
            failures.append(Failure(line: 0, text: "[\(currentCase)] end of case", message: "unexpected outputs \(outputs)"))
        }
        outputs = []
    }

    private mutating func tap(_ token: String) throws {
        let names = token.split(separator: "+").map(String.init)
        let keys = try names.map { name -> KeyCode in
            guard let key = KeyCode.named(name) else { throw ScriptError("unknown key \(name)") }
            return key
        }
        let held = keys.prefix { $0.isModifier && keys.count > 1 }
        let tapped = keys.dropFirst(held.count)
        for key in held { try feedKey(.key(key, .down, at: now)) }
        for key in tapped {
            try feedKey(.key(key, .down, at: now))
            try feedKey(.key(key, .up, at: now))
        }
        for key in held.reversed() { try feedKey(.key(key, .up, at: now)) }
        now = now.adding(milliseconds: stepMilliseconds)
    }

    private mutating func wait(_ milliseconds: UInt64) throws {
        let end = now.adding(milliseconds: milliseconds)
        // Like the shell's timer: wake at each deadline that falls before the end.
        while let deadline = currentDeadline, deadline <= end {
            now = max(now, deadline)
            outputs += advance(to: now)
        }
        now = end
    }

    private var currentDeadline: MonotonicInstant? {
        switch machine {
        case .keys(let decoder): decoder.deadline
        case .serial(let framer): framer.deadline
        case nil: nil
        }
    }

    private mutating func advance(to instant: MonotonicInstant) -> [DecoderOutput] {
        switch machine {
        case .keys(var decoder): defer { machine = .keys(decoder) }; return decoder.advance(to: instant)
        case .serial(var framer): defer { machine = .serial(framer) }; return framer.advance(to: instant)
        case nil: return []
        }
    }

    private mutating func feedKey(_ input: KeyInput) throws {
        guard case .keys(var decoder) = machine else { throw ScriptError("key lines need a keystroke case") }
        outputs += decoder.receive(input)
        machine = .keys(decoder)
    }

    private mutating func send(_ bytes: [UInt8]) throws {
        guard case .serial(var framer) = machine else { throw ScriptError("send needs `config serial`") }
        outputs += framer.receive(bytes, at: now)
        machine = .serial(framer)
        now = now.adding(milliseconds: stepMilliseconds)
    }

    private mutating func expect(_ arguments: [String]) throws {
        if arguments == ["nothing"] {
            guard outputs.isEmpty else { throw ScriptError("expected nothing, got \(outputs)") }
            return
        }
        guard !outputs.isEmpty else { throw ScriptError("expected \(arguments), got nothing") }
        let actual = outputs.removeFirst()
        if arguments.first == "discarded" {
            guard case .discarded(let reason, let partial) = actual else { throw ScriptError("expected a discard, got \(actual)") }
            let name = DecoderScriptLexer.name(of: reason)
            guard name == arguments.dropFirst().first else { throw ScriptError("expected discard \(arguments), got \(name)") }
            if arguments.count > 2, DecoderScriptLexer.unescape(arguments[2]) != partial {
                throw ScriptError("expected partial \(arguments[2]), got \(partial.debugDescription)")
            }
            return
        }
        guard case .barcode(let barcode) = actual else { throw ScriptError("expected a barcode, got \(actual)") }
        let text = DecoderScriptLexer.unescape(arguments.first ?? "")
        guard barcode.text == text else { throw ScriptError("expected \(text.debugDescription), got \(barcode.text.debugDescription)") }
        if arguments.count >= 3, arguments[1] == "symbology", barcode.symbology != arguments[2] {
            throw ScriptError("expected symbology \(arguments[2]), got \(barcode.symbology ?? "none")")
        } else if arguments.count < 3, barcode.symbology != nil, framing.aim {
            throw ScriptError("unexpected symbology \(barcode.symbology!)")
        }
    }
}

struct ScriptError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
