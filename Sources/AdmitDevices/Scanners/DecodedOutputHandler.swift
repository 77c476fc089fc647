import AdmitCore
import Logging

/// What one device's decoder outputs turn into: barcodes delivered (at most
/// `barcodesPerSecond`, so a scanner in a loop cannot flood the gate), discards counted
/// and logged, and the counters `admitctl devices` shows. Used on the scanner's queue only.
struct DecodedOutputHandler {
    let source: String
    let direction: Direction?
    let logger: Logger
    let deliver: @Sendable (ScannedBarcode) -> Void
    var barcodeGuard: FloodGuard
    var reads = 0
    var discarded = 0
    var floods = 0
    var lastRead: String?
    var lastReadAt: MonotonicInstant?

    init(source: String, direction: Direction?, barcodesPerSecond: Double, logger: Logger,
         deliver: @escaping @Sendable (ScannedBarcode) -> Void) {
        self.source = source
        self.direction = direction
        self.logger = logger
        self.deliver = deliver
        barcodeGuard = FloodGuard(ratePerSecond: barcodesPerSecond, burst: max(1, barcodesPerSecond / 2))
    }

    mutating func handle(_ outputs: [DecoderOutput]) {
        for output in outputs {
            switch output {
            case .barcode(let barcode):
                switch barcodeGuard.admit(at: barcode.completedAt) {
                case .pass: break
                case .passAfterFlood(let suppressed):
                    logger.notice("\(source): barcode flood over, \(suppressed) barcodes were ignored")
                case .floodBegan:
                    floods += 1
                    logger.warning("\(source): more than \(Int(barcodeGuard.ratePerSecond)) barcodes a second; ignoring until it calms down")
                    continue
                case .suppressed:
                    continue
                }
                reads += 1
                lastRead = barcode.text
                lastReadAt = barcode.completedAt
                deliver(ScannedBarcode(barcode: barcode, source: source, direction: direction))
            case .discarded(let reason, let partial):
                discarded += 1
                logger.info("\(source): discarded \(partial.isEmpty ? "input" : "partial barcode \"\(partial)\""): \(reason)")
            }
        }
    }

    mutating func inputFlood(_ verdict: FloodGuard.Verdict, eventsPerSecond: Double) {
        switch verdict {
        case .floodBegan:
            floods += 1
            logger.warning("\(source): more than \(Int(eventsPerSecond)) key events a second (a stuck key or noise); ignoring them")
        case .passAfterFlood(let suppressed):
            logger.notice("\(source): key event flood over, \(suppressed) events were ignored")
        case .pass, .suppressed:
            break
        }
    }
}
