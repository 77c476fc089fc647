// The pure half of the adapters (settings, answers, errors) is part of this module's API:
// whoever imports AdmitBackends sees it, as before it was split off for the fuzz build.
@_exported import AdmitBackendCore
