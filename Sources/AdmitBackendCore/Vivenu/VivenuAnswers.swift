import AdmitCore

/// What vivenu answers, read without I/O. The vivenu adapter reads every answer through
/// these, so the fuzzer, which feeds them arbitrary bytes, exercises the adapter's own code.
package struct VivenuAnswers: Sendable {
    /// The status check and decoding, with the token blanked out of errors.
    package let reader: AnswerReader

    /// Reads answers with `reader` (the adapter's, which knows the secrets).
    package init(reader: AnswerReader) { self.reader = reader }

    /// One page of `GET tickets/v2/{event}`: Admit's tickets and vivenu's `total`.
    package func ticketPage(_ response: BackendResponse, label: String) throws(BackendError) -> (tickets: [Ticket], total: Int) {
        let page = try reader.json(VivenuTicketPage.self, response, label: label)
        return (page.docs.map(\.ticket), page.total)
    }

    /// The verdict of `POST tickets/scan`: 404 is an unknown barcode, `access` GRANTED admits
    /// (with vivenu's view of the ticket), anything else refuses in vivenu's word.
    package func scanVerdict(_ response: BackendResponse, label: String) throws(BackendError) -> BackendVerdict {
        if response.status == 404 { return .unknown }
        let answer = try reader.json(VivenuScanAnswer.self, response, label: label)
        if answer.access.uppercased() == "GRANTED" { return .granted(answer.ticket?.ticket) }
        return .denied("vivenu says \(answer.access.lowercased())")
    }

    /// The events of `GET events`.
    package func events(_ response: BackendResponse, label: String) throws(BackendError) -> [BackendEvent] {
        try reader.json([VivenuEvent].self, response, label: label).map { BackendEvent(id: $0._id, name: $0.name ?? "") }
    }

    /// Why `POST scans` was refused, nil when it was taken.
    package func scansRefusal(_ response: BackendResponse, label: String) -> BackendError? {
        do {
            try reader.check(response, label: label)
            return nil
        } catch {
            return error
        }
    }

    /// One page of portier's `GET /api/scans`: the approved scans of devices other than
    /// `ownDevice` as redemptions, the number of scans on the page, and portier's `total`.
    ///
    /// Portier's scan object has no id, so a scan is identified by ticket, time, device and
    /// type: the same scan learned twice is applied once. Scans without a readable time are
    /// left out.
    package func portierScans(_ response: BackendResponse, ownDevice: String, label: String) throws(BackendError)
        -> (redemptions: [RedemptionEvent], count: Int, total: Int)
    {
        let page = try reader.json(PortierPage.self, response, label: label)
        var events: [RedemptionEvent] = []
        for scan in page.docs where scan.deviceId != ownDevice && scan.scanResult == "approved" {
            guard let time = scan.time.flatMap(ISO8601.parse) else { continue }
            let direction: Direction = scan.type == "checkout" ? .out : .in
            events.append(RedemptionEvent(
                scanID: "portier:\(scan.ticketId):\(scan.time ?? ""):\(scan.deviceId ?? ""):\(scan.type)",
                barcode: scan.barcode, ticketID: scan.ticketId, gate: scan.deviceId ?? "another gate",
                direction: direction, time: time, origin: .peer))
        }
        return (events, page.docs.count, page.total)
    }

    /// One page of portier's `GET /api/scans`: the scans `ownDevice` made, as keys, to tell
    /// which of a batch portier already holds; the number of scans on the page, and `total`.
    package func ownPortierScans(_ response: BackendResponse, ownDevice: String, label: String) throws(BackendError)
        -> (held: Set<PortierScanKey>, count: Int, total: Int)
    {
        let page = try reader.json(PortierPage.self, response, label: label)
        let held = page.docs.filter { $0.deviceId == ownDevice }.compactMap(PortierScanKey.init)
        return (Set(held), page.docs.count, page.total)
    }
}

/// A portier scan as portier can be asked about it: the object has no id, so a scan is
/// its ticket, time (to the millisecond), type and result.
package struct PortierScanKey: Hashable, Sendable {
    package var ticketID: String
    package var time: Int64
    package var type: String
    package var result: String

    /// The key of a scan; nil without a readable time.
    package init?(_ scan: PortierScan) {
        guard let time = scan.time.flatMap(ISO8601.parse) else { return nil }
        self.ticketID = scan.ticketId
        self.time = time.millisecondsSince1970
        self.type = scan.type
        self.result = scan.scanResult
    }
}
