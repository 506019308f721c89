import ArgumentParser

struct Key: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the checkpoint-signing key's verifier key, or rotate the signing key.",
        subcommands: [KeyShow.self, KeyRotate.self], defaultSubcommand: KeyShow.self)
}
