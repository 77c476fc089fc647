import AdmitBackendCore

/// The keys of `[backend]` for ACME and eventyay.
extension BackendConfig {
    /// Settings an operator should see in `admitctl status` because they change decisions
    /// (eventyay's `questions`); empty for the other backends.
    public var statusNotes: [String] {
        guard kind == .eventyay, let eventyay else { return [] }
        return [eventyay.questions.statusNote]
    }

    mutating func readRealtime(_ s: inout ConfigSection) throws(ConfigError) {
        realtime = try s.bool("realtime") ?? false
        realtimeBudgetMilliseconds = try s.integer("realtime_budget_ms", in: 10...10_000) ?? 300
    }

    /// `url`, `api_key` (or `api_key_file`), `event` or `event_template`, `page_size` (≤ 100), `overlap_s`.
    static func acme(_ s: inout ConfigSection, gateName: String) throws(ConfigError) -> AcmeSettings {
        let event = try s.string("event")
        let template = try s.string("event_template")
        guard (event == nil) != (template == nil) else {
            throw s.error("event", "give exactly one of event and event_template")
        }
        return AcmeSettings(
            baseURL: try s.requiredString("url"), apiKey: try secret(&s, "api_key"), eventID: event,
            eventTemplateID: template, deviceID: gateName, pageSize: try s.integer("page_size", in: 1...100) ?? 100,
            overlapMilliseconds: Int64((try s.number("overlap_s", in: 0...3600) ?? 60) * 1000))
    }

    /// `url`, `key` (or `key_file`), `organizer`, `event`, `questions` ("ignore" or "refuse";
    /// the older `ignore_questions = true/false` still reads as ignore/refuse), `products`,
    /// `upload_concurrency`.
    static func eventyay(_ s: inout ConfigSection, gateName: String) throws(ConfigError) -> EventyaySettings {
        let questions = try s.choice("questions", as: EventyayQuestions.self)
        let legacy = try s.bool("ignore_questions")
        if questions != nil, legacy != nil {
            throw s.error("ignore_questions", "give questions = \"ignore\" or \"refuse\", not both it and ignore_questions")
        }
        return EventyaySettings(
            baseURL: try s.requiredString("url"), key: try secret(&s, "key"),
            organizer: try s.requiredString("organizer"), event: try s.requiredString("event"),
            questions: questions ?? legacy.map { $0 ? .ignore : .refuse } ?? .ignore,
            products: try s.strings("products") ?? [],
            uploadConcurrency: try s.integer("upload_concurrency", in: 1...64) ?? 16)
    }
}
