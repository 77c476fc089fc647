import AdmitCore

/// What every barcode decoder promises, and where a decoded barcode goes next: the gate's
/// normalizer and a ticket index lookup, as the gate would do with it.
struct DecoderChecks {
    let framing: BarcodeFraming
    let normalizer = BarcodeNormalizer(prefix: "#", suffix: "")
    let index = TicketIndex(
        tickets: ["4006381000000", "4006381000017", "A B", "ß", "\u{1D}0104006381", "x"].enumerated().map {
            Ticket(id: "t\($0.offset)", barcode: $0.element, status: .valid, typeName: "Adult", typeID: "a")
        })

    /// Checks the outputs of one step that happened at `now`.
    func check(_ outputs: [DecoderOutput], now: MonotonicInstant) {
        for output in outputs {
            guard case .barcode(let barcode) = output else { continue }
            expect(!barcode.text.isEmpty, "an empty barcode was delivered")
            expect(barcode.text.count <= framing.maxLength, "a barcode longer than max_length: \(barcode.text.count)")
            expect(barcode.completedAt <= now, "a barcode completed in the future")
            if !framing.allowedSymbologies.isEmpty {
                expect(framing.allowedSymbologies.contains(barcode.symbology ?? ""), "a symbology that is not allowed")
            }
            if let normalized = normalizer.normalize(barcode.text) {
                expect(!normalized.isEmpty, "the normalizer left an empty barcode")
                if let ticket = index.lookup(normalized) {
                    expect(ticket.barcode == normalized, "the index answered another barcode's ticket")
                }
            }
        }
    }

    /// The framing a few bytes choose: maximum length, prefix, suffix, AIM, symbologies.
    static func framing(_ input: inout FuzzInput) -> BarcodeFraming {
        let flags = input.byte()
        let texts = ["", "*", "PRE", "]C1", "é", "\u{1D}"]
        return BarcodeFraming(
            prefix: texts[Int(flags & 7) % texts.count], suffix: texts[Int(flags >> 3 & 7) % texts.count],
            aim: flags & 0x40 != 0, allowedSymbologies: flags & 0x80 != 0 ? ["E0", "Q1"] : [],
            maxLength: Int(input.byte() % 64) + 1)
    }
}
