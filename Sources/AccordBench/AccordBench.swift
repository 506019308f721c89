import ArgumentParser

/// `accord-bench`, which `accord bench` runs: the load generators and the
/// peers' wire clients live here, never in the server's binary.
@main
struct AccordBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accord bench",
        abstract: "Measure throughput and latency.",
        subcommands: [
            ServerBench.self, FanoutBench.self, SinkBench.self, ReplicaBench.self, StoreBench.self, RegistryBench.self, ProofBench.self,
            CompareBench.self, PublishBench.self,
        ]
    )
}
