import AdmitStore

/// The SQLite outbox is the gate's durable journal.
extension ScanOutbox: ScanJournal {}
