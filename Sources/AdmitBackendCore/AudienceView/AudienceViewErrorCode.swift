import AdmitCore

/// The 17 scanning error codes of AudienceView Professional (`errorDetails.errorCodeId`),
/// which arrive inside an HTTP 200 answer, and what each means to Admit.
public enum AudienceViewErrorCode: Int, Sendable, CaseIterable {
    case authorizationHeaderInvalid = 1
    case authenticationFailed = 2
    case notAuthorized = 3
    case passwordExpired = 4
    case tokenExpired = 5
    case tokenNotValid = 6
    case userWrongClient = 7
    case ticketWrongClient = 8
    case ticketWrongSeries = 9
    case ticketWrongPerformance = 10
    case ticketNotValid = 11
    case ticketAlreadyScanned = 12
    case ticketVoided = 13
    case ticketRefunded = 14
    case inputMissingRequiredField = 15
    case unanticipatedError = 16
    case unanticipatedErrorForcedLogout = 17

    /// What Admit tells the operator, in words (the spec's description, with what to do).
    public var explanation: String {
        switch self {
        case .authorizationHeaderInvalid: "the Authorization header was invalid or missing"
        case .authenticationFailed: "username or password refused; check [backend] username and password_file"
        case .notAuthorized: "the user lacks the scanning permission in AudienceView Professional"
        case .passwordExpired: "the user's password expired; reset it by logging in to AudienceView Professional"
        case .tokenExpired: "the access token expired"
        case .tokenNotValid: "the access token is not valid"
        case .userWrongClient: "the user has no access to this client; check [backend] client"
        case .ticketWrongClient: "ticket belongs to another client"
        case .ticketWrongSeries: "ticket is for another series"
        case .ticketWrongPerformance: "ticket is for another performance"
        case .ticketNotValid: "not a valid AudienceView barcode"
        case .ticketAlreadyScanned: "ticket already scanned"
        case .ticketVoided: "ticket voided"
        case .ticketRefunded: "ticket refunded"
        case .inputMissingRequiredField: "the request misses a required field (a bug in Admit)"
        case .unanticipatedError: "AudienceView failed unexpectedly"
        case .unanticipatedErrorForcedLogout: "AudienceView failed unexpectedly and ended the session"
        }
    }

    /// The kind of `BackendError` the code stands for: credential and access problems are
    /// `.unauthorized` (scans stay queued until someone fixes them), ticket-level refusals
    /// and malformed requests `.rejected`, AudienceView's own failures `.serverError`.
    public var kind: BackendError.Kind {
        switch self {
        case .authorizationHeaderInvalid, .authenticationFailed, .notAuthorized, .passwordExpired,
            .tokenExpired, .tokenNotValid, .userWrongClient:
            .unauthorized
        case .ticketWrongClient, .ticketWrongSeries, .ticketWrongPerformance, .ticketNotValid,
            .ticketAlreadyScanned, .ticketVoided, .ticketRefunded, .inputMissingRequiredField:
            .rejected
        case .unanticipatedError, .unanticipatedErrorForcedLogout:
            .serverError
        }
    }

    /// True when the session's token is gone after this code (whatever `forceLogout` says).
    public var endsSession: Bool {
        switch self {
        case .authorizationHeaderInvalid, .tokenExpired, .tokenNotValid, .unanticipatedErrorForcedLogout: true
        default: false
        }
    }

    /// True when a fresh token makes the same request worth one more try: the request was
    /// refused before anything was done, because of the token alone.
    public var retryAfterLogin: Bool {
        self == .tokenExpired || self == .tokenNotValid
    }

    /// The gate's answer for a realtime check that got this code; nil when the code says
    /// nothing about the ticket (the gate then decides locally).
    public var verdict: BackendVerdict? {
        switch self {
        case .ticketNotValid: .unknown
        case .ticketWrongClient, .ticketWrongSeries, .ticketWrongPerformance, .ticketAlreadyScanned,
            .ticketVoided, .ticketRefunded:
            .denied("AudienceView: \(explanation)")
        default: nil
        }
    }

    /// The typed error for this code at `request`.
    package func error(request: String, name: String?) -> BackendError {
        BackendError(
            kind, backend: "audienceview", request: request,
            message: "error \(rawValue) (\(name ?? "\(self)")): \(explanation)")
    }
}
