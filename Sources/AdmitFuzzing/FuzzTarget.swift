/// The fuzz targets: each drives one parser of outside input with arbitrary bytes and
/// traps when the parser crashes or breaks one of its promises. libFuzzer calls `run` from
/// `Fuzz/Targets/<name>` (built with `--sanitize fuzzer`); the unit tests call it with the
/// committed corpora and with every crash found so far, without any sanitizer.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Keystrokes of a keyboard-wedge scanner → `KeystrokeDecoder` → normalizer → index.
    case keystrokes
    /// Bytes of a serial scanner → `SerialFramer` → normalizer → index.
    case serial
    /// Text → `AdmitConfig.parse` (TOML, every section, secrets from files).
    case config
    /// Bytes of a control connection → `ControlLineReader` → `ControlRequest.parse`.
    case control
    /// vivenu and vivenu portier answers → `VivenuAnswers`.
    case vivenu
    /// ACME b2b answers → `AcmeAnswers`.
    case acme
    /// eventyay answers → `EventyayAnswers`.
    case eventyay
    /// AudienceView answers → `AudienceViewAnswers`.
    case audienceview

    /// Runs the target on one input.
    public func run(_ data: UnsafeBufferPointer<UInt8>) {
        run(Array(data))
    }

    /// Runs the target on one input.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .keystrokes: KeystrokeFuzzer.run(bytes)
        case .serial: SerialFuzzer.run(bytes)
        case .config: ConfigFuzzer.run(bytes)
        case .control: ControlFuzzer.run(bytes)
        case .vivenu: VivenuFuzzer.run(bytes)
        case .acme: AcmeFuzzer.run(bytes)
        case .eventyay: EventyayFuzzer.run(bytes)
        case .audienceview: AudienceViewFuzzer.run(bytes)
        }
    }
}

/// A broken promise: traps with `message`, which libFuzzer reports as a crash.
func expect(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) {
    if !condition { fatalError("fuzz invariant: \(message())", file: file, line: line) }
}

/// Reads a fuzz input front to back: bytes, small numbers, the rest. Past the end it
/// answers zeros, so every input means something.
struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    /// True when every byte has been read.
    var isEmpty: Bool { bytes.isEmpty }

    /// The next byte, 0 past the end.
    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    /// The next two bytes as a number.
    mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    /// Up to `count` next bytes.
    mutating func take(_ count: Int) -> [UInt8] {
        let taken = bytes.prefix(count)
        bytes = bytes.dropFirst(count)
        return Array(taken)
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] { take(bytes.count) }
}
