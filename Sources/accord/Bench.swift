import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure throughput and latency.",
        subcommands: [ServerBench.self, StoreBench.self, RegistryBench.self, ProofBench.self, CompareBench.self]
    )
}
