import ArgumentParser

/// `accord sink`: copies of the server's projections in other engines.
struct SinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink", abstract: "Keep the register and statistics in PostgreSQL, for SQL reporting tools (ops/reporting.md).",
        subcommands: [SinkPostgres.self, SinkStatus.self])
}
