import Foundation

/// Polls `condition` every `interval` seconds until it holds or `seconds` have passed; the
/// deadline is generous so that it holds on a loaded machine, the polling quick so that a
/// passing test does not wait it out. Returns whether the condition held.
func waitUntil(seconds: Double = 10, interval: Double = 0.005, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(UInt32(interval * 1_000_000))
    }
    return try condition()
}
