import AdmitBackends
import AdmitCore
import AdmitFakes
import Testing

@Suite(.serialized) struct AudienceViewSessionTests {
    @Test func oneLoginServesManyCalls() async throws {
        let rig = try await AudienceViewRig.start(tickets: 10)
        _ = try await rig.sync()
        _ = try await rig.backend.listEvents()
        _ = try await rig.backend.upload([rig.entry(1)])
        #expect(rig.fake.loginCount == 1)
        await rig.stop()
    }

    @Test func aLapsedTokenIsRenewedBeforeUse() async throws {
        let rig = try await AudienceViewRig.start(tickets: 10)
        _ = try await rig.sync()
        rig.fake.advanceClock(milliseconds: 59 * 60_000 + 30_000)
        _ = try await rig.sync()
        #expect(rig.fake.loginCount == 2, "within a minute of accessTokenExpiration the token is renewed")
        #expect(rig.fake.requestCount(path: "/cache/validTickets") == 2, "no refused call on the way")
        await rig.stop()
    }

    @Test func theExpiryIsSliding() async throws {
        let rig = try await AudienceViewRig.start(tickets: 10)
        for _ in 0..<3 {
            _ = try await rig.sync()
            rig.fake.advanceClock(milliseconds: 40 * 60_000)
        }
        #expect(rig.fake.loginCount == 1, "each call moves the expiry to an hour later")
        await rig.stop()
    }

    @Test func aRevokedTokenMeansLoginAndRetryWithoutLosingScans() async throws {
        let rig = try await AudienceViewRig.start(tickets: 10)
        _ = try await rig.sync()
        rig.fake.revokeTokens()
        #expect(try await rig.backend.upload([rig.entry(1), rig.entry(2)]) == [.accepted, .accepted])
        #expect(rig.fake.loginCount == 2)
        #expect(rig.fake.receivedScans.count == 2)
        await rig.stop()
    }

    @Test(arguments: [5, 6]) func tokenCodesLogInAgainAndRetry(code: Int) async throws {
        let rig = try await AudienceViewRig.start(tickets: 10)
        _ = try await rig.sync()
        rig.fake.failNext(code: code, path: "/cache/syncScans")
        #expect(try await rig.backend.upload([rig.entry(1)]) == [.accepted])
        #expect(rig.fake.loginCount == 2)
        await rig.stop()
    }

    @Test func aForcedLogoutFailsTheCallAndTheNextOneLogsIn() async throws {
        let rig = try await AudienceViewRig.start(tickets: 10)
        _ = try await rig.sync()
        rig.fake.failNext(code: 17, path: "/cache/syncScans")
        await #expect { try await rig.backend.upload([rig.entry(1)]) } throws: { ($0 as? BackendError)?.kind == .serverError }
        #expect(await rig.backend.isLoggedIn == false)
        #expect(try await rig.backend.upload([rig.entry(1)]) == [.accepted], "the scan was kept and goes now")
        #expect(rig.fake.loginCount == 2)
        rig.fake.failNext(code: 16, forceLogout: true)
        await #expect(throws: BackendError.self) { try await rig.sync() }
        _ = try await rig.sync()
        #expect(rig.fake.loginCount == 3, "forceLogout ends the session whatever the code")
        await rig.stop()
    }

    @Test func wrongPasswordAndExpiredPasswordAreAuthorizationErrors() async throws {
        let rig = try await AudienceViewRig.start(tickets: 10, password: "wrong")
        await #expect { try await rig.sync() } throws: {
            ($0 as? BackendError)?.kind == .unauthorized && "\($0)".contains("error 2")
        }
        await rig.stop()
        let expired = try await AudienceViewRig.start(tickets: 10)
        expired.fake.setPasswordExpired(true)
        await #expect { try await expired.sync() } throws: {
            ($0 as? BackendError)?.kind == .unauthorized && "\($0)".contains("password expired")
        }
        expired.fake.setPasswordExpired(false)
        expired.fake.setScanningPermission(false)
        await #expect { try await expired.sync() } throws: { "\($0)".contains("error 3") }
        await expired.stop()
    }

    static let expectedKinds: [Int: BackendError.Kind] = [
        1: .unauthorized, 2: .unauthorized, 3: .unauthorized, 4: .unauthorized, 7: .unauthorized,
        8: .rejected, 9: .rejected, 10: .rejected, 11: .rejected, 12: .rejected, 13: .rejected, 14: .rejected,
        15: .rejected, 16: .serverError, 17: .serverError,
    ]

    @Test(arguments: Array(1...17)) func everyErrorCodeIsATypedError(code: Int) async throws {
        let rig = try await AudienceViewRig.start(tickets: 3)
        rig.fake.failNext(code: code, path: "/filterOptions")
        if let kind = Self.expectedKinds[code] {
            await #expect { try await rig.backend.listEvents() } throws: { error in
                guard let error = error as? BackendError else { return false }
                return error.kind == kind && error.message.hasPrefix("error \(code) ") && error.backend == "audienceview"
            }
        } else {
            #expect(try await rig.backend.listEvents().events.count == 3, "codes 5 and 6: log in again, ask again")
            #expect(rig.fake.loginCount == 2)
        }
        await rig.stop()
    }

    @Test func ticketCodesAreVerdictsAndTheRestAreNot() {
        #expect(AudienceViewErrorCode.allCases.count == 17)
        #expect(AudienceViewErrorCode.ticketNotValid.verdict == .unknown)
        #expect(AudienceViewErrorCode.ticketAlreadyScanned.verdict == .denied("AudienceView: ticket already scanned"))
        for code in AudienceViewErrorCode.allCases {
            #expect((code.verdict != nil) == (8...14).contains(code.rawValue), "\(code)")
        }
    }

    @Test func realtimeValidationAnswersWithinTheBudget() async throws {
        let rig = try await AudienceViewRig.start(tickets: 20)
        let first = try await rig.backend.check(barcode: DemoEvent.barcode(1), direction: .in, budgetMilliseconds: 2000)
        #expect(first == .granted(nil))
        #expect(rig.fake.isScanned(barcode: DemoEvent.barcode(1)), "validateTicket records the scan")
        #expect(try await rig.backend.check(barcode: DemoEvent.barcode(1), direction: .in, budgetMilliseconds: 2000)
                == .denied("AudienceView: ticket already scanned"))
        #expect(try await rig.backend.check(barcode: DemoEvent.barcode(7), direction: .in, budgetMilliseconds: 2000)
                == .denied("AudienceView: ticket refunded"))
        #expect(try await rig.backend.check(barcode: "NOPE", direction: .in, budgetMilliseconds: 2000) == .unknown)
        // A slow answer is given up at the budget (the time a visitor waits is asserted on the
        // daemon's own clock, in AudienceViewEndToEndTests).
        rig.fake.setFault(.slow(milliseconds: 2000))
        let error = await #expect(throws: BackendError.self) {
            try await rig.backend.check(barcode: DemoEvent.barcode(2), direction: .in, budgetMilliseconds: 300)
        }
        #expect(error?.kind == .timeout, "\(String(describing: error))")
        rig.fake.setFault(nil)
        await rig.stop()
    }
}
