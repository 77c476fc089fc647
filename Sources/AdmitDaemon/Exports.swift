// The configuration and the control protocol are part of this module's API: admitd,
// admitctl and the tests see them through `import AdmitDaemon`, as before they became
// targets of their own (so the fuzz build can reach them without the daemon).
@_exported import AdmitConfiguration
@_exported import AdmitControl
