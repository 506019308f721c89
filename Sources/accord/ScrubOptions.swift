import AccordJSON
import ArgumentParser
import Server

/// `accord serve`'s check of its own store: at start, then in the background.
struct ScrubOptions: ParsableArguments {
    @Option(help: "Events per second the background check of the store reads at most; 0 turns it and the start check off (default 50000).")
    var scrubRate: Int?
    @Option(help: "Seconds between the end of one pass of the background check and the start of the next (default 3600).")
    var scrubInterval: Int?

    /// Applies the settings (flag, else config file, else default) after checking their ranges; returns them for `--check-config`.
    func apply(file: ServeConfiguration, names: SettingNames, to configuration: inout ServerConfiguration) throws -> [String: JSONValue] {
        let rate = scrubRate ?? file.scrubRate ?? configuration.scrub.eventsPerSecond
        let interval = scrubInterval ?? file.scrubInterval ?? Int(configuration.scrub.interval.components.seconds)
        guard rate >= 0 else {
            throw ValidationError("\(names.name("scrubRate", flagGiven: scrubRate != nil)) must be at least 0; got \(rate)")
        }
        guard interval >= 0 else {
            throw ValidationError("\(names.name("scrubInterval", flagGiven: scrubInterval != nil)) must be at least 0; got \(interval)")
        }
        configuration.scrub.eventsPerSecond = rate
        configuration.scrub.interval = .seconds(interval)
        return ["scrubRate": .integer(Int64(rate)), "scrubInterval": .integer(Int64(interval))]
    }
}
