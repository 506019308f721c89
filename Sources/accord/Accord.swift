import ArgumentParser

@main
struct Accord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accord",
        abstract: "The tamper-evident register of personal-data sharing agreements.",
        version: AccordVersion.current,
        subcommands: [
            Serve.self, Append.self, AgreementCommand.self, Register.self, RecipientCommand.self, Statistics.self, Tail.self,
            WatchCommand.self, Replay.self, Verify.self, Check.self, Key.self, TokenCommand.self, Backup.self, Restore.self, Health.self,
            Inspect.self,
            ConnectionsCommand.self, Dump.self, Export.self, Rebuild.self, SinkCommand.self, Promote.self, Publish.self, Bench.self,
            Version.self,
        ]
    )
}
