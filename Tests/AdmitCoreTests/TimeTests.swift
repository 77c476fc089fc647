import AdmitCore
import Testing

@Suite struct TimeTests {
    @Test(arguments: [
        ("2030-01-23T23:00:00.123Z", Int64(1_895_439_600_123)),
        ("1970-01-01T00:00:00Z", 0),
        ("2020-04-29T15:03:03.726Z", 1_588_172_583_726),
        ("2020-04-29T17:03:03.726+02:00", 1_588_172_583_726),
        ("1969-12-31T23:59:59.000Z", -1000),
        ("2020-04-29T15:03:03.726123Z", 1_588_172_583_726),
        ("2020-04-29T15:03:03.7Z", 1_588_172_583_700),
    ])
    func parsesAndFormatsISO8601(text: String, ms: Int64) {
        #expect(ISO8601.parse(text)?.millisecondsSince1970 == ms)
        if !text.contains("+") {
            #expect(ISO8601.parse(ISO8601.format(Timestamp(millisecondsSince1970: ms)))?.millisecondsSince1970 == ms)
        }
    }

    @Test(arguments: ["", "2030-13-01T00:00:00Z", "yesterday", "2030-01-01", "2030-01-01T00:00:00Zjunk"])
    func rejectsGarbage(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    /// A backend may send any 64-bit time (AudienceView's `performanceStart`,
    /// `accessTokenExpiration`): formatting and moving it never traps.
    @Test(arguments: [Int64.min, Int64.min + 1, -1, 0, Int64.max - 1, Int64.max])
    func extremeTimestampsFormatAndMoveWithoutTrapping(ms: Int64) {
        let t = Timestamp(millisecondsSince1970: ms)
        #expect(!ISO8601.format(t).isEmpty)
        #expect(t.secondsSince1970 <= ms / 1000)
        #expect(t.adding(milliseconds: -3_600_000).millisecondsSince1970 <= ms)
        #expect(t.adding(milliseconds: 3_600_000).millisecondsSince1970 >= ms)
    }

    @Test func movingStopsAtTheEndsOfTheRange() {
        #expect(Timestamp(millisecondsSince1970: .min + 5).adding(milliseconds: -10).millisecondsSince1970 == .min)
        #expect(Timestamp(millisecondsSince1970: .max - 5).adding(milliseconds: 10).millisecondsSince1970 == .max)
        #expect(Timestamp(millisecondsSince1970: -1).secondsSince1970 == -1)
        #expect(Timestamp(millisecondsSince1970: -1000).secondsSince1970 == -1)
        #expect(Timestamp(millisecondsSince1970: -1001).secondsSince1970 == -2)
    }

    @Test func serverClockCarriesTheBackendsTimeOnTheMonotonicClock() {
        var clock = ServerClock()
        let kioskWall = Timestamp(secondsSince1970: 0)  // booted in 1970, no RTC
        #expect(clock.now(at: MonotonicInstant(milliseconds: 5), fallback: kioskWall) == kioskWall)
        clock.observe(serverTime: Timestamp(secondsSince1970: 1_800_000_000), at: MonotonicInstant(milliseconds: 1000))
        #expect(clock.now(at: MonotonicInstant(milliseconds: 3500), fallback: kioskWall) == Timestamp(millisecondsSince1970: 1_800_000_002_500))
    }

    @Test func beforeTheFirstAnswerTheFloorHoldsTheKioskClockUp() {
        var clock = ServerClock()
        let lastKnown = Timestamp(secondsSince1970: 1_800_000_000)
        clock.raiseFloor(to: lastKnown, at: MonotonicInstant(milliseconds: 1000))
        // Booted at 1970: the floor, carried forward on the monotonic clock, wins.
        #expect(clock.now(at: MonotonicInstant(milliseconds: 4000), fallback: Timestamp(secondsSince1970: 5))
            == lastKnown.adding(milliseconds: 3000))
        // A kiosk clock ahead of the floor is believed (the box may have been off for days).
        let later = Timestamp(secondsSince1970: 1_800_086_400)
        #expect(clock.now(at: MonotonicInstant(milliseconds: 4000), fallback: later) == later)
        // A lower floor never lowers it; the first answer replaces it.
        clock.raiseFloor(to: Timestamp(secondsSince1970: 1_700_000_000), at: MonotonicInstant(milliseconds: 5000))
        #expect(clock.now(at: MonotonicInstant(milliseconds: 5000), fallback: Timestamp(secondsSince1970: 0))
            == lastKnown.adding(milliseconds: 4000))
        clock.observe(serverTime: Timestamp(secondsSince1970: 1_790_000_000), at: MonotonicInstant(milliseconds: 6000))
        #expect(clock.now(at: MonotonicInstant(milliseconds: 7000), fallback: later) == Timestamp(millisecondsSince1970: 1_790_000_001_000))
    }
}
