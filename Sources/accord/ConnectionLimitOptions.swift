import AccordJSON
import ArgumentParser
import Server

/// `accord serve`'s bounds on what one connection may hold and use: memory
/// in bytes, its share of the blocking pools, and the audit of repeated reads.
struct ConnectionLimitOptions: ParsableArguments {
    @Option(help: "Bytes of output one connection may leave unread before the server stops reading it (default 4194304).")
    var maxOutputPerConnection: Int?
    @Option(help: "The same before hello, when tokens are configured (default 65536).") var maxOutputBeforeHello: Int?
    @Option(help: "The longest request line before hello, when tokens are configured (default 16384).") var maxLineBytesBeforeHello: Int?
    @Option(help: "Requests of one connection on the blocking pools at once; the rest wait behind them (default 2).")
    var poolJobsPerConnection: Int?
    @Option(help: "Threads answering pages of the log and projections (default 2).") var queryThreads: Int?
    @Option(help: "Threads replaying history for asOf and effectiveAt, apart from the query threads (default 1).") var foldThreads: Int?
    @Option(help: "Seconds during which one principal's repeated reads of the same records share one audit record; 0 off (default 60).")
    var auditCoalesceWindow: Int?
    @Option(
        help:
            "Microseconds an event loop watches for a lone client's append to commit, and the writer for its next append, instead of sleeping, while the machine has a processor to spare (/proc/pressure/cpu): lower latency for one client, a busy processor meanwhile; 0 never (default 300)."
    )
    var spinMicroseconds: Int?

    /// The longest watch `--spin-microseconds` takes: 10 ms, far beyond any sync it waits for.
    static let longestSpin = 10_000

    /// Applies the settings (flag, else config file, else default) after checking their ranges; returns them for `--check-config`.
    func apply(file: ServeConfiguration, names: SettingNames, to configuration: inout ServerConfiguration) throws -> [String: JSONValue] {
        let flags: [String: Int?] = [
            "maxOutputPerConnection": maxOutputPerConnection, "maxOutputBeforeHello": maxOutputBeforeHello,
            "maxLineBytesBeforeHello": maxLineBytesBeforeHello, "poolJobsPerConnection": poolJobsPerConnection,
            "queryThreads": queryThreads, "foldThreads": foldThreads, "auditCoalesceWindow": auditCoalesceWindow,
            "spinMicroseconds": spinMicroseconds,
        ]
        let settings: [(key: String, value: Int, least: Int, set: (inout ServerConfiguration, Int) -> Void)] = [
            (
                "maxOutputPerConnection",
                maxOutputPerConnection ?? file.maxOutputPerConnection ?? configuration.maxOutputBytesPerConnection,
                4_096, { $0.maxOutputBytesPerConnection = $1 }
            ),
            (
                "maxOutputBeforeHello", maxOutputBeforeHello ?? file.maxOutputBeforeHello ?? configuration.maxOutputBytesBeforeHello, 4_096,
                { $0.maxOutputBytesBeforeHello = $1 }
            ),
            (
                "maxLineBytesBeforeHello", maxLineBytesBeforeHello ?? file.maxLineBytesBeforeHello ?? configuration.maxLineBytesBeforeHello,
                64, { $0.maxLineBytesBeforeHello = $1 }
            ),
            (
                "poolJobsPerConnection", poolJobsPerConnection ?? file.poolJobsPerConnection ?? configuration.poolJobsPerConnection, 1,
                { $0.poolJobsPerConnection = $1 }
            ),
            ("queryThreads", queryThreads ?? file.queryThreads ?? configuration.queryThreads, 1, { $0.queryThreads = $1 }),
            ("foldThreads", foldThreads ?? file.foldThreads ?? configuration.foldThreads, 1, { $0.foldThreads = $1 }),
            (
                "auditCoalesceWindow",
                auditCoalesceWindow ?? file.auditCoalesceWindow ?? Int(configuration.auditCoalesceWindow.components.seconds),
                0, { $0.auditCoalesceWindow = .seconds($1) }
            ),
            (
                "spinMicroseconds", spinMicroseconds ?? file.spinMicroseconds ?? Int(configuration.spinNanoseconds / 1_000), 0,
                { $0.spinNanoseconds = UInt64($1) * 1_000 }
            ),
        ]
        let spin = spinMicroseconds ?? file.spinMicroseconds ?? Int(configuration.spinNanoseconds / 1_000)
        guard spin <= Self.longestSpin else {
            let name = names.name("spinMicroseconds", flagGiven: spinMicroseconds != nil)
            throw ValidationError(
                "\(name) must be at most \(Self.longestSpin) (a watch longer than a sync holds a processor for nothing); got \(spin)")
        }
        var report: [String: JSONValue] = [:]
        for setting in settings {
            guard setting.value >= setting.least else {
                let name = names.name(setting.key, flagGiven: flags[setting.key].map { $0 != nil } ?? false)
                throw ValidationError("\(name) must be at least \(setting.least); got \(setting.value)")
            }
            setting.set(&configuration, setting.value)
            report[setting.key] = .integer(Int64(setting.value))
        }
        return report
    }
}
