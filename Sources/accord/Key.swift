import ArgumentParser
import Checkpoints

struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the checkpoint-signing key's public (verifier) key, creating the key if there is none.",
        discussion: """
            Publish the printed line: auditors pass it to `accord verify --key` to check signed checkpoints. \
            The secret key stays in the data directory (checkpoint.key, mode 0600).
            """)

    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "The signing key file (default DATA/checkpoint.key).") var checkpointKey: String?
    @Option(help: "The log's origin, used only when the key is created (default HOSTNAME/accord).") var origin: String?

    func run() throws {
        let lock = DataDirectoryLock.ifFree(directory: dataDirectory.data)
        defer { withExtendedLifetime(lock) {} }
        let path = SigningKeyLocation.path(data: dataDirectory.data, configured: checkpointKey)
        print(try SigningKeyLocation.loadOrCreate(at: path, origin: origin).verifier.text)
    }
}
