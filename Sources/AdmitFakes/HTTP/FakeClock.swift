import AdmitCore
import Foundation
import NIOCore
import Synchronization

/// The clock of a fake backend: real time when the fake starts, or the time set since,
/// running at real speed on the monotonic clock unless frozen. Like a server elsewhere,
/// it does not follow the kiosk when the kiosk's wall clock is set (the clock scenario
/// in the VM moves the kiosk's clock under a running demo). Sent in HTTP `Date` and
/// stamped on records.
final class FakeClock: Sendable {
    private struct Setting {
        var base: Timestamp
        var setAt: NIODeadline
        var running: Bool
    }

    private let setting: Mutex<Setting>

    init() {
        setting = Mutex(Setting(base: Self.wallClock(), setAt: .now(), running: true))
    }

    /// The fake's current time.
    var now: Timestamp {
        setting.withLock { setting in
            guard setting.running else { return setting.base }
            let elapsed = (NIODeadline.now() - setting.setAt).nanoseconds / 1_000_000
            return setting.base.adding(milliseconds: elapsed)
        }
    }

    /// Sets the time; a running clock ticks on from `now`, a frozen one stays there.
    func set(_ now: Timestamp, running: Bool) {
        setting.withLock { $0 = Setting(base: now, setAt: .now(), running: running) }
    }

    /// Moves the clock by `milliseconds` (negative moves back), keeping it running or frozen.
    func advance(milliseconds: Int64) {
        let current = now
        setting.withLock { setting in
            setting = Setting(base: current.adding(milliseconds: milliseconds), setAt: .now(), running: setting.running)
        }
    }

    private static func wallClock() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
