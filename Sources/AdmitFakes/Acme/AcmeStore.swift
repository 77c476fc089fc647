import AdmitCore

/// The barcodes of the ACME fake, in creation order, with a cache of the last filtered list
/// so paging through 100 k barcodes costs O(page) per request.
struct AcmeStore {
    private(set) var barcodes: [AcmeBarcode] = []
    private var slotByBarcode: [String: Int] = [:]
    private var version = 0
    private var cache: (key: Query, version: Int, slots: [Int])?

    /// The filters and order of one `GET v2/b2b/barcodes` (everything but the page).
    struct Query: Hashable {
        var eventId: String?
        var eventTemplateId: String?
        var ticketTypeId: String?
        var externalOrderNumber: String?
        var createdAfter: Timestamp?
        var createdBefore: Timestamp?
        var updatedAfter: Timestamp?
        var updatedBefore: Timestamp?
        var sortField: String
        var descending: Bool
    }

    /// The slot of `barcode`.
    func slot(barcode: String) -> Int? { slotByBarcode[barcode] }

    subscript(slot: Int) -> AcmeBarcode { barcodes[slot] }

    /// Adds a barcode, or replaces the one with the same barcode text (keeping `createdOn`).
    mutating func upsert(_ barcode: AcmeBarcode) {
        version += 1
        if let slot = slotByBarcode[barcode.barcode] {
            var replaced = barcode
            replaced.createdOn = barcodes[slot].createdOn
            barcodes[slot] = replaced
        } else {
            slotByBarcode[barcode.barcode] = barcodes.count
            barcodes.append(barcode)
        }
    }

    /// Deletes a barcode (slots after it move down); false when unknown.
    mutating func remove(barcode: String) -> Bool {
        guard let slot = slotByBarcode.removeValue(forKey: barcode) else { return false }
        version += 1
        barcodes.remove(at: slot)
        for i in slot..<barcodes.count { slotByBarcode[barcodes[i].barcode] = i }
        return true
    }

    /// Changes the barcode in `slot`.
    mutating func update(_ slot: Int, _ change: (inout AcmeBarcode) -> Void) {
        version += 1
        change(&barcodes[slot])
    }

    /// The slots matching `query`, in its order. After-bounds are exclusive, before-bounds
    /// exclusive; ties in the sort field keep creation order.
    mutating func select(_ query: Query) -> [Int] {
        if let cache, cache.key == query, cache.version == version { return cache.slots }
        func inside(_ t: Timestamp, _ after: Timestamp?, _ before: Timestamp?) -> Bool {
            (after.map { t > $0 } ?? true) && (before.map { t < $0 } ?? true)
        }
        var slots: [Int] = []
        for (slot, b) in barcodes.enumerated() {
            if let e = query.eventId, b.eventId != e { continue }
            if let e = query.eventTemplateId, b.eventTemplateId != e { continue }
            if let t = query.ticketTypeId, b.ticketTypeId != t { continue }
            if let o = query.externalOrderNumber, b.externalOrderNumber != o { continue }
            guard inside(b.createdOn, query.createdAfter, query.createdBefore),
                inside(b.updatedOn, query.updatedAfter, query.updatedBefore)
            else { continue }
            slots.append(slot)
        }
        let key: (AcmeBarcode) -> Int64 = switch query.sortField {
        case "updatedOn": { $0.updatedOn.millisecondsSince1970 }
        case "usedOn": { $0.usedOn?.millisecondsSince1970 ?? .min }
        default: { $0.createdOn.millisecondsSince1970 }
        }
        if query.sortField == "barcode" {
            slots.sort { barcodes[$0].barcode < barcodes[$1].barcode }
        } else if query.sortField != "createdOn" {
            slots.sort { (key(barcodes[$0]), $0) < (key(barcodes[$1]), $1) }
        }
        if query.descending { slots.reverse() }
        cache = (query, version, slots)
        return slots
    }
}
