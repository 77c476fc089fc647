import Foundation
import Synchronization

/// A real `admitd` process for end-to-end tests: started from the build folder with its
/// stdin, stdout and stderr on pipes, stopped (or killed) by the test.
final class DaemonProcess: Sendable {
    let process: Process
    let stdin: FileHandle
    let directory: String
    let socket: String
    private let output = TextSink()
    private let errors = TextSink()

    /// The folder holding admitd and admitctl: the one this test bundle was built into.
    static var binaries: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }

    init(arguments: [String], directory: String? = nil, environment: [String: String] = [:]) throws {
        let dir = directory ?? NSTemporaryDirectory() + "admit-e2e-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        self.directory = dir
        socket = dir + "/control.sock"
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binaries + "/admitd")
        process.arguments = arguments + ["--socket", socket, "--state-dir", dir]
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        stdin = inPipe.fileHandleForWriting
        outPipe.fileHandleForReading.readabilityHandler = { [output] h in
            let data = h.availableData
            output.append(data)
            if data.isEmpty { h.readabilityHandler = nil }
        }
        errPipe.fileHandleForReading.readabilityHandler = { [errors] h in
            let data = h.availableData
            errors.append(data)
            if data.isEmpty { h.readabilityHandler = nil }
        }
        try process.run()
    }

    var stdout: String { output.text }
    var stderr: String { errors.text }
    var consoleLines: [String] { stdout.split(separator: "\n").map(String.init).filter { $0.contains("GRANTED") || $0.contains("DENIED") } }

    /// Types barcodes on the daemon's stdin, one per line.
    func type(_ barcodes: String...) {
        stdin.write(Data(barcodes.map { $0 + "\n" }.joined().utf8))
    }

    /// Waits until `condition` holds (polling every `pollMicroseconds`), or fails after `seconds`.
    @discardableResult
    func wait(seconds: Double = 20, pollMicroseconds: UInt32 = 20_000, for condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(pollMicroseconds)
        }
        return condition()
    }

    /// Waits until stdout and stderr are at end of file (the process and every copy of the
    /// pipes' write ends are gone): all it printed has been read. False after `seconds`.
    @discardableResult
    func waitForOutputToEnd(seconds: Double = 10) -> Bool {
        wait(seconds: seconds, pollMicroseconds: 2_000) { output.ended && errors.ended }
    }

    /// Waits for the control socket to answer.
    func waitUntilReady(seconds: Double = 30) -> Bool {
        wait(seconds: seconds) { (try? ctl("status", "--json"))?.output.contains("\"state\":\"ready\"") == true }
    }

    /// Runs admitctl against this daemon.
    func ctl(_ arguments: String...) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binaries + "/admitctl")
        p.arguments = ["--socket", socket] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill() }
    }
}

/// Text collected from a pipe on another thread.
final class TextSink: Sendable {
    private let storage = Mutex<(text: String, ended: Bool)>(("", false))
    /// Appends `data`; empty data is the end of the file.
    func append(_ data: Data) {
        storage.withLock {
            if data.isEmpty { $0.ended = true } else { $0.text += String(decoding: data, as: UTF8.self) }
        }
    }
    var text: String { storage.withLock { $0.text } }
    /// True once the pipe reached end of file.
    var ended: Bool { storage.withLock { $0.ended } }
}
