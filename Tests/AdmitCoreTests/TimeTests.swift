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
        // (an answer somewhat behind the floor still counts: the old run's clock may have run fast)
        clock.observe(serverTime: Timestamp(secondsSince1970: 1_799_999_500), at: MonotonicInstant(milliseconds: 6000))
        #expect(clock.now(at: MonotonicInstant(milliseconds: 7000), fallback: later) == Timestamp(millisecondsSince1970: 1_799_999_501_000))
    }

    /// Issue 15, item 4: an answer's `Date` moves the clock only within a bound of what the
    /// clock already knows, carried forward on the monotonic clock.
    @Test func aDateFarFromTheEstimateIsRefused() {
        var clock = ServerClock()
        let t0 = Timestamp(secondsSince1970: 1_800_000_000)
        let took1 = clock.observe(serverTime: t0, at: MonotonicInstant(milliseconds: 0))
        #expect(took1)
        // An hour later on the monotonic clock, the server says ten years earlier, then a day later.
        let took2 = clock.observe(serverTime: Timestamp(secondsSince1970: 1_500_000_000), at: MonotonicInstant(milliseconds: 3_600_000))
        #expect(!took2)
        let took3 = clock.observe(serverTime: t0.adding(milliseconds: 86_400_000), at: MonotonicInstant(milliseconds: 3_600_000))
        #expect(!took3)
        #expect(clock.refusedObservations == 2)
        #expect(clock.now(at: MonotonicInstant(milliseconds: 3_600_000), fallback: t0) == t0.adding(milliseconds: 3_600_000))
        // Ordinary drift and a slow reply are taken.
        let took4 = clock.observe(serverTime: t0.adding(milliseconds: 3_602_000), at: MonotonicInstant(milliseconds: 3_600_000))
        #expect(took4)
        // Before any answer, a time far behind the floor is refused too.
        var fresh = ServerClock()
        fresh.raiseFloor(to: t0, at: MonotonicInstant(milliseconds: 0))
        let took5 = fresh.observe(serverTime: Timestamp(secondsSince1970: 0), at: MonotonicInstant(milliseconds: 10))
        #expect(!took5)
        #expect(!fresh.isSynchronized)
    }
}
