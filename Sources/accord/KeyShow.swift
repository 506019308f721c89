import ArgumentParser
import Checkpoints
import CommandSupport
import Foundation

struct KeyShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the checkpoint-signing key's public (verifier) key (the default of accord key).",
        discussion: """
            Publish the printed line: auditors pass it to `accord verify --key` to check signed checkpoints. \
            The secret key stays in the data directory (checkpoint.key, mode 0600). In an existing data directory \
            whose log has no checkpoints yet, the key is created as the first `accord serve` would; a directory that \
            does not exist is never created, and a log that has checkpoints but lost its key gets no new one \
            silently (see accord key rotate).
            """)

    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "The signing key file (default DATA/checkpoint.key).") var checkpointKey: String?
    @Option(help: "The log's origin, used only when the key is created (default HOSTNAME/accord).") var origin: String?

    func run() throws {
        let path = SigningKeyLocation.path(data: dataDirectory.data, configured: checkpointKey)
        if FileManager.default.fileExists(atPath: path) {
            return print(try SigningKeyLocation.loadOrCreate(at: path, origin: origin).verifier.text)
        }
        guard let lock = DataDirectoryLock.ifFree(directory: dataDirectory.data, create: false) else {
            try DataDirectoryOptions.requireExisting(dataDirectory.data)
            throw CommandError("\(dataDirectory.data) is in use by a running server, and \(path) does not exist")
        }
        defer { withExtendedLifetime(lock) {} }
        let store = try dataDirectory.openReadOnly()
        defer { store.close() }
        print(try SigningKeyLocation.loadForServing(at: path, origin: origin, store: store, data: dataDirectory.data).verifier.text)
    }
}
