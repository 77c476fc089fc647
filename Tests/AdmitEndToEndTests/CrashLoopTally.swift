/// What one run of the crash loop counted, and the report it prints.
///
/// Where a kill fell is told from evidence gathered after it, not from the timer alone.
/// A round can count in several places (a kill during typing often has a read in hand):
/// - start-up: admitd had not logged "ready" (opening the journal, loading the stored
///   tickets, or, in a round that began with the ticket cache removed, the full load);
///   "full load" counts those of them where the cache was gone and no full load had completed.
/// - typing: the test had begun typing the round's reads and had not typed the last.
/// - decision/commit: a read was in hand, typed before the kill (the count is exact: typing
///   and the kill take one lock) and not printed: in the pipe, being decided, or waiting
///   for its group commit. "recorded, not printed" counts those where the journal holds
///   decisions the console never showed: the kill fell between the commit and the console.
/// - upload: the fake had stored scans of this life whose answer the journal had not
///   recorded: the kill fell while an upload's answer was on its way.
/// - quiet: none of these (uploads done, between syncs).
struct CrashLoopTally {
    var rounds = 0
    var startUp = 0
    var startUpInFullLoad = 0
    var typing = 0
    var readInHand = 0
    var recordedNotPrinted = 0
    var upload = 0
    var quiet = 0
    /// Rounds in which admitd printed at least one GRANTED.
    var roundsWithGranted = 0
    /// Decision lines printed (repeat reads left out), each checked against the journal.
    var linesChecked = 0
    /// Rounds whose printed lines were not the start of what the journal got.
    var roundsOutOfStep = 0
    /// Tickets with a GRANTED in the journal.
    var admitted = 0
    /// Printed GRANTEDs whose ticket has no GRANTED in the journal.
    var lost = 0
    /// Tickets granted more than once (in the journal or on the console).
    var doubled = 0
    /// Uploaded scans the fake had stored but the killed daemon had not recorded as answered,
    /// summed over the kills: the answers lost, which Admit must send again.
    var lostReplies = 0
    /// A digest of the script (reads, cache removals, kill fractions): equal in a replay.
    var script = ScriptDigest()

    /// The phase tally, one line.
    var phases: String {
        "kills: \(startUp) start-up (\(startUpInFullLoad) in a full load), \(typing) typing, "
            + "\(readInHand) decision/commit (\(recordedNotPrinted) recorded, not printed), \(upload) upload, \(quiet) quiet"
    }

    /// The report of a run against `backend`, with the backend's own re-send figures.
    func report(backend: String, seed: UInt64, resends: String) -> String {
        """
        crash loop (\(backend)), ADMIT_CRASH_SEED=\(seed) (script \(script)): \(rounds) rounds; \(phases); \
        \(roundsWithGranted) rounds with a GRANTED; \(admitted) admitted, \(lost) lost, \(doubled) doubled; \
        \(linesChecked) printed lines in the journal with the same outcome \
        (\(roundsOutOfStep) rounds out of step); \(resends)
        """
    }
}

/// FNV-1a over the script's words, to show that a replay ran the same script.
struct ScriptDigest: CustomStringConvertible {
    private var hash: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ words: [String]) {
        for byte in words.joined(separator: "\n").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
    }

    var description: String { String(hash, radix: 16) }
}
