import ArgumentParser
import Checkpoints
import CommandSupport
import EventStore
import Foundation
import Transparency

struct KeyRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace the checkpoint-signing key, recording the change in the log (with the server stopped).",
        discussion: """
            Seals the log with a last checkpoint by the current key (when its secret is at hand), appends a \
            signing_key_rotated event to $keys carrying the previous and the new verifier keys, endorsed by the \
            previous key when it is available, and signs a checkpoint with the new key. The previous secret key is \
            kept beside it as checkpoint.key.previous-HHHHHHHH: move it offline. Auditors given the previous key \
            follow an endorsed rotation by themselves; after a rotation without endorsement (the previous key was \
            lost), publish the new verifier key: auditors must be given it.

            Prints the new verifier key.
            """)

    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "The signing key file (default DATA/checkpoint.key).") var checkpointKey: String?
    @Option(help: "The verifier key that signed until now, when its secret is lost (text or file, e.g. a backup's checkpoint.vkey).")
    var previousKey: String?
    @Option(help: "Why the key changes, recorded in the event (e.g. \"key lost with the old host\").") var reason: String?

    func run() async throws {
        let data = dataDirectory.data
        let lock = try DataDirectoryLock(directory: data, create: false)
        defer { withExtendedLifetime(lock) {} }
        let (store, _) = try dataDirectory.openForWriting(lock: lock)
        defer { store.close() }
        let path = SigningKeyLocation.path(data: data, configured: checkpointKey)
        let chain = try KeyChain(store: store)
        let latest = try Checkpointer.latestStored(in: store.environment)
        let held = FileManager.default.fileExists(atPath: path) ? try SigningKeyFile.load(at: path) : nil
        let given = try previousKey.map { try SigningKeyLocation.verifiers([$0], data: nil)[0] }
        guard let previous = chain.links.last?.rotation.next ?? held?.verifier ?? given else {
            throw CommandError(
                "which key signed this log until now? Its secret is not at \(path): pass --previous-key with the published verifier key")
        }
        if let given, given != previous {
            throw CommandError("--previous-key is not the key in effect: the log says \(previous.text)")
        }
        if chain.links.isEmpty, let latest, (try? SignedCheckpoint(text: latest, verifiedBy: previous)) == nil {
            throw CommandError("the log's latest checkpoint was not signed by \(previous.text): that is not this log's key")
        }
        let endorser = held.flatMap { $0.verifier == previous ? $0 : nil }
        if let endorser { try Checkpointer(store: store, key: endorser).persist() }
        let next = try NoteSignerKey(name: previous.name)
        let rotation = try KeyRotation(previous: previous, next: next.verifier, endorsedBy: endorser)
        // The new key is on disk before the log names it, and takes the old one's place only after.
        let staged = path + ".next"
        try? FileManager.default.removeItem(atPath: staged)
        try SigningKeyFile.create(at: staged, key: next)
        let result = try await store.append(
            to: KeyChain.stream, expected: .any, events: [KeyChain.event(for: rotation, reason: reason)], principal: "accord key rotate")
        if let held { try Self.move(path, to: path + ".previous-" + held.verifier.text.split(separator: "+")[1]) }
        try Self.move(staged, to: path)
        try Checkpointer(store: store, key: next).persist()
        FileHandle.standardError.write(
            Data(
                """
                rotated at position \(result.positions.lowerBound): \(previous.text) → \(next.verifier.text), \
                \(endorser != nil ? "endorsed by the previous key" : "NOT endorsed (the previous key's secret is not here): publish the new key to auditors")

                """.utf8))
        print(next.verifier.text)
    }

    private static func move(_ from: String, to: String) throws {
        guard rename(from, to) == 0 else { throw CommandError("cannot rename \(from) to \(to): \(String(cString: strerror(errno)))") }
    }
}
