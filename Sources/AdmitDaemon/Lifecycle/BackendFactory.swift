import AdmitBackends

/// Makes the adapter a configuration names.
enum BackendFactory {
    static func make(_ config: BackendConfig, context: BackendContext) -> (any TicketBackend)? {
        switch config.kind {
        case .demo: return nil
        case .vivenu: return config.vivenu.map { VivenuBackend(settings: $0, context: context) }
        case .audienceview: return config.audienceView.map { AudienceViewBackend(settings: $0, context: context) }
        case .acme: return config.acme.map { AcmeBackend(settings: $0, context: context) }
        case .eventyay: return config.eventyay.map { EventyayBackend(settings: $0, context: context) }
        }
    }
}
