import AdmitCore
import AdmitDevices

extension Daemon {
    /// What a reload did, in words, for the log and `admitctl reload`.
    public struct ReloadReport: Sendable {
        /// True when the new configuration is in force.
        public var applied: Bool
        /// What changed, or why nothing did.
        public var message: String
    }

    /// Reads the configuration file again (SIGHUP, `admitctl reload`) and applies what can
    /// change while running: the gate's rules, the outputs, the scanners. The ticket index,
    /// the redemptions and the outbox are kept. A file with an error changes nothing.
    /// Call it from the main queue (the signal handler's).
    public func reload() -> ReloadReport {
        guard let path = environment.configPath else {
            return ReloadReport(applied: false, message: "no configuration file to reload (demo mode)")
        }
        let next: AdmitConfig
        do {
            next = try AdmitConfig.load(path: path)
        } catch {
            logger.error("reload: keeping the running configuration: \(error)")
            return ReloadReport(applied: false, message: "kept the running configuration: \(error)")
        }
        let previous = config
        var notes: [String] = []
        var restartNeeded: [String] = []
        if next.gate.stateDirectory != previous.gate.stateDirectory { restartNeeded.append("gate.state_dir") }
        if next.gate.controlSocket != previous.gate.controlSocket { restartNeeded.append("gate.control_socket") }
        if next.backend.kind != previous.backend.kind { restartNeeded.append("backend.kind") }
        if next.metrics != previous.metrics { restartNeeded.append("[metrics]") }
        configuration.withLock { $0 = merging(next, keeping: previous) }

        gateLoop?.updatePolicy(next.gate.policy, normalizer: next.gate.normalizer)
        if next.outputs != previous.outputs || outputProblem != nil {
            replaceOutputs(next.outputs)
            notes.append("outputs")
        }
        if retimeBackgroundWork(from: previous.backend, to: next.backend) { notes.append("sync and flush intervals") }
        if String(describing: next.scanners) != String(describing: previous.scanners) {
            restartScanners(next.scanners)
            notes.append("scanners")
        }
        var message = notes.isEmpty ? "rules reloaded" : "rules and \(notes.joined(separator: ", ")) reloaded"
        if !restartNeeded.isEmpty { message += "; \(restartNeeded.joined(separator: ", ")) take effect after a restart" }
        logger.info("reload: \(message)")
        environment.console?.say("reloaded \(path): \(message)")
        return ReloadReport(applied: true, message: message)
    }

    /// The new configuration, with the parts that need a restart as they were.
    private func merging(_ next: AdmitConfig, keeping previous: AdmitConfig) -> AdmitConfig {
        var merged = next
        merged.gate.stateDirectory = previous.gate.stateDirectory
        merged.gate.controlSocket = previous.gate.controlSocket
        merged.backend.kind = previous.backend.kind  // intervals and batch size apply at once (retimeBackgroundWork)
        merged.metrics = previous.metrics
        return merged
    }

    /// Releases the old lines before requesting the new ones (the kernel would refuse the
    /// same line twice); the gate decides with the console alone for that moment.
    private func replaceOutputs(_ outputs: OutputConfig) {
        gateLoop?.replaceOutputs(baseOutputs)
        _ = gateLoop?.inspectNow { _ in true }  // the old outputs are no longer called
        stopOutputs()
        gateLoop?.replaceOutputs(baseOutputs + startOutputs(outputs))
    }

    private func restartScanners(_ configs: [ScannerConfig]) {
        for scanner in scanners.reversed() { scanner.stop() }
        scanners = []
        guard let loop = gateLoop else { return }
        for scannerConfig in configs {
            let scanner = makeScanner(scannerConfig)
            do {
                try scanner.start { [loop] barcode, direction in
                    loop.submit(barcode: barcode, source: scanner.name, direction: direction)
                }
                scanners.append(scanner)
            } catch {
                logger.error("reload: scanner \(scanner.name): \(error)")
            }
        }
    }
}
