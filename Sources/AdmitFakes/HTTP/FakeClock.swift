import AdmitCore
import Foundation
import NIOCore
import Synchronization

/// The clock of a fake backend: real time until set, then the set time, which keeps
/// running at real speed unless frozen. Sent in HTTP `Date` and stamped on records.
final class FakeClock: Sendable {
    private struct Setting {
        var base: Timestamp
        var setAt: NIODeadline
        var running: Bool
    }

    private let setting = Mutex<Setting?>(nil)

    init() {}

    /// The fake's current time.
    var now: Timestamp {
        setting.withLock { setting in
            guard let setting else { return Self.wallClock() }
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
            let running = setting?.running ?? true
            setting = Setting(base: current.adding(milliseconds: milliseconds), setAt: .now(), running: running)
        }
    }

    private static func wallClock() -> Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
