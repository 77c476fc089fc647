/// What a backend said about a barcode in a realtime check, made within the time budget.
public enum BackendVerdict: Sendable, Hashable {
    /// The backend admits it (with its view of the ticket, which may be newer than the index).
    case granted(Ticket?)
    /// The backend refuses it, with its reason.
    case denied(String)
    /// The backend does not know the barcode.
    case unknown
}
