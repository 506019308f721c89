import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure throughput and latency.",
        subcommands: [StoreBench.self, RegistryBench.self]
    )
}
