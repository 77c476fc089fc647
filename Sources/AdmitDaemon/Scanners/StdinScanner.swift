import AdmitCore
import Foundation
import Synchronization

/// Reads one barcode per line from standard input: the demo, tests, and a person typing.
/// A blocking read on its own thread, so the terminal's file status flags stay untouched.
public final class StdinScanner: ScannerSource {
    public let name: String
    private let direction: Direction?
    private let state = Mutex<(reads: Int, lastRead: String?, open: Bool)>((0, nil, true))

    /// A stdin scanner attributed as `name`.
    public init(name: String = "stdin", direction: Direction? = nil) {
        self.name = name
        self.direction = direction
    }

    public func start(deliver: @escaping @Sendable (String, Direction?) -> Void) throws {
        let direction = direction
        let thread = Thread { [self] in
            while let line = readLine(strippingNewline: true) {
                state.withLock { $0.reads += 1; $0.lastRead = line }
                deliver(line, direction)
            }
            state.withLock { $0.open = false }
        }
        thread.name = "admit.stdin"
        thread.start()
    }

    public func stop() {}

    public func describe() -> ScannerDescription {
        state.withLock {
            ScannerDescription(
                name: name, kind: "stdin", state: $0.open ? "reading" : "closed (end of input)",
                device: "standard input", reads: $0.reads, lastRead: $0.lastRead)
        }
    }
}
