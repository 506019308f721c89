import ArgumentParser

@main
struct Accord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "The tamper-evident register of personal-data sharing agreements.",
        version: AccordVersion.current,
        subcommands: [Serve.self, Stats.self, Dump.self, Export.self, Rebuild.self, Bench.self, Version.self]
    )
}
