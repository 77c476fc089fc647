import Foundation
import Synchronization

/// One life of admitd in the crash loop: started, typed at once it logs "ready", and killed
/// with SIGKILL by a timer that runs from the launch, independent of the typing. The
/// timer's instant is chosen by the caller, uniformly over the whole round (start-up,
/// typing and the uploads after it), so a kill can land in the start-up and the first full
/// load, between two reads, inside a decision or its group commit, or while an upload's
/// answer is on its way.
struct CrashLoopLife {
    /// What happened at the instant of the kill, as the test saw it.
    struct Kill {
        /// Reads whose `write` to admitd's stdin had returned before SIGKILL was sent.
        var typedBefore: Int
        /// True when the kill fell between the first and the last read typed.
        var duringTyping: Bool
        /// True when SIGKILL ended admitd (it was alive when killed, not dead by itself).
        var endedBySIGKILL: Bool
        /// How admitd ended, for the failure message.
        var termination: String
    }

    /// A decision line admitd printed on its console.
    struct Line: Equatable, CustomStringConvertible {
        var barcode: String
        var granted: Bool
        var description: String { "\(granted ? "GRANTED" : "DENIED") \(barcode)" }
    }

    let kill: Kill
    /// Decision lines in the order printed, repeat reads left out (they are not journaled).
    let lines: [Line]
    /// Every decision line, repeat reads included.
    let printedCount: Int
    /// True when admitd logged "ready" before it died: the start-up was over.
    let wasReady: Bool
    /// True when admitd logged that a full load completed.
    let completedFullLoad: Bool
    /// Launch to "ready" as the test saw it, when it was seen.
    let readyAfter: Duration?
    let stderr: String

    /// Launches admitd, types `reads` (each after its gap) once it is ready, and kills it
    /// `killAfter` from the launch.
    static func run(
        launch: () throws -> DaemonProcess, reads: [(barcode: String, gapMicroseconds: UInt32)], killAfter: Duration
    ) throws -> CrashLoopLife {
        let launchedAt = ContinuousClock.now
        let daemon = try launch()
        let timer = KillTimer(daemon: daemon)
        timer.schedule(after: killAfter)
        var readyAfter: Duration?
        // Poll the log, not the control socket: an admitctl run would only add load, and its
        // fds to inherit, at the instants the loop is about.
        if daemon.wait(seconds: 120, pollMicroseconds: 2_000, for: { timer.hasFired || daemon.stderr.contains(" ready: control socket") }),
            !timer.hasFired
        {
            readyAfter = ContinuousClock.now - launchedAt
            timer.typingBegan()
            for read in reads {
                // Pacing of the reads: the stimulus, not a wait for the daemon.
                usleep(read.gapMicroseconds)
                guard timer.type(read.barcode) else { break }
            }
            timer.typingEnded()
        }
        let kill = timer.awaitKill(deadline: killAfter + .seconds(120))
        _ = daemon.waitForOutputToEnd(seconds: 10)
        let console = daemon.stdout.split(separator: "\n").filter { $0.contains(" GRANTED ") || $0.contains(" DENIED ") }
        let lines = console.filter { !$0.contains("(repeat read)") }.map {
            Line(barcode: VivenuEndToEndTests.barcode(in: String($0)), granted: $0.contains(" GRANTED "))
        }
        let errors = daemon.stderr
        return CrashLoopLife(
            kill: kill, lines: lines, printedCount: console.count, wasReady: errors.contains(" ready: control socket"),
            completedFullLoad: errors.contains("full load complete"), readyAfter: readyAfter, stderr: errors)
    }
}

/// Sends SIGKILL at one instant on its own queue, and serializes it with the typing so that
/// the count of reads typed before the kill is exact.
private final class KillTimer: Sendable {
    private struct State {
        var fired = false
        var typed = 0
        var typing = false
        var kill: CrashLoopLife.Kill?
    }

    private let daemon: DaemonProcess
    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)

    init(daemon: DaemonProcess) {
        self.daemon = daemon
        // A read typed after the kill meets a closed pipe: EPIPE, not a signal that ends the test.
        signal(SIGPIPE, SIG_IGN)
    }

    var hasFired: Bool { state.withLock { $0.fired } }

    func schedule(after delay: Duration) {
        let nanoseconds = Int(delay.components.seconds) * 1_000_000_000 + Int(delay.components.attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in fire() }
    }

    /// Types one read unless the kill has come; false once it has.
    func type(_ barcode: String) -> Bool {
        state.withLock { state in
            guard !state.fired else { return false }
            let bytes = Array((barcode + "\n").utf8)
            let written = bytes.withUnsafeBytes { write(daemon.stdin.fileDescriptor, $0.baseAddress, $0.count) }
            if written == bytes.count { state.typed += 1 }
            return true
        }
    }

    func typingBegan() { state.withLock { $0.typing = true } }
    func typingEnded() { state.withLock { $0.typing = false } }

    private func fire() {
        state.withLock { state in
            state.fired = true
            // A daemon that already exited is not killed (its pid may be another's by now).
            let alive = daemon.process.isRunning
            if alive { Foundation.kill(daemon.process.processIdentifier, SIGKILL) }
            state.kill = CrashLoopLife.Kill(typedBefore: state.typed, duringTyping: state.typing, endedBySIGKILL: alive, termination: "")
        }
        daemon.process.waitUntilExit()
        let reason = daemon.process.terminationReason, status = daemon.process.terminationStatus
        state.withLock { state in
            guard var kill = state.kill else { return }
            kill.endedBySIGKILL = kill.endedBySIGKILL && reason == .uncaughtSignal && status == SIGKILL
            kill.termination = reason == .uncaughtSignal ? "signal \(status)" : "exit \(status)"
            state.kill = kill
        }
        done.signal()
    }

    /// Waits for the kill to have happened and the process to be gone.
    func awaitKill(deadline: Duration) -> CrashLoopLife.Kill {
        let seconds = Double(deadline.components.seconds)
        if done.wait(timeout: .now() + seconds) == .timedOut {
            Foundation.kill(daemon.process.processIdentifier, SIGKILL)
            daemon.process.waitUntilExit()
            return CrashLoopLife.Kill(typedBefore: 0, duringTyping: false, endedBySIGKILL: false, termination: "the kill timer never fired")
        }
        return state.withLock { $0.kill! }
    }
}
