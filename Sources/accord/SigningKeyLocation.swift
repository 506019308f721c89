import Checkpoints
import CommandSupport
import EventStore
import Foundation
import Transparency

/// Where the checkpoint-signing key lives and what it is called.
///
/// By default `checkpoint.key` in the data directory, created on first start
/// (mode 0600) and named after `--origin` (default `HOSTNAME/accord`). Once
/// created, the key's name is the log's origin; asking for another origin
/// later is refused, since every earlier checkpoint names the first.
enum SigningKeyLocation {
    static func path(data: String, configured: String?) -> String {
        configured ?? URL(fileURLWithPath: data).appendingPathComponent("checkpoint.key").path
    }

    static var defaultOrigin: String {
        let host = ProcessInfo.processInfo.hostName.filter { !$0.isWhitespace && $0 != "+" }
        return (host.isEmpty ? "localhost" : host) + "/accord"
    }

    static func loadOrCreate(at path: String, origin: String?) throws -> NoteSignerKey {
        let key = try SigningKeyFile.loadOrCreate(at: path, name: origin ?? defaultOrigin)
        if let origin, origin != key.name {
            throw CommandError("the signing key \(path) is for origin \(key.name), not \(origin); a log keeps its origin for life")
        }
        return key
    }

    /// The verifier keys from `--key` (each text or a file holding it), else
    /// the data directory's signing key, else none.
    static func verifiers(_ options: [String], data: String?) throws -> [NoteVerifierKey] {
        if !options.isEmpty {
            return try options.map { option in
                let text = FileManager.default.fileExists(atPath: option) ? try String(contentsOfFile: option, encoding: .utf8) : option
                do {
                    return try NoteVerifierKey(text: text)
                } catch {
                    throw CommandError("--key \(option) is not a verifier key (NAME+HHHHHHHH+BASE64, as accord key prints): \(error)")
                }
            }
        }
        guard let data else { return [] }
        let path = path(data: data, configured: nil)
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return [try SigningKeyFile.load(at: path).verifier]
    }
}

extension SigningKeyLocation {
    /// The key a server signs this log's checkpoints with: the one at `path`
    /// when it is the log's key in effect; a new one only for a log that
    /// never signed a checkpoint. A log that has checkpoints but no key, or
    /// another key, is refused with the ways out: silently minting a key
    /// would make every published verifier key fail.
    static func loadForServing(at path: String, origin: String?, store: EventStore, data: String) throws -> NoteSignerKey {
        try checkContinuity(at: path, store: store, data: data)
        return try loadOrCreate(at: path, origin: origin)
    }

    /// Refuses a key file that is missing for a log that has signed before,
    /// or that is not the log's key in effect; creates and changes nothing.
    static func checkContinuity(at path: String, store: EventStore, data: String) throws {
        let chain = try KeyChain(store: store)
        let latest = try Checkpointer.latestStored(in: store.environment)
        let interrupted = FileManager.default.fileExists(atPath: path + ".next") ? " (an interrupted rotation left \(path).next)" : ""
        guard FileManager.default.fileExists(atPath: path) else {
            guard latest == nil, chain.links.isEmpty else {
                throw CommandError(
                    """
                    \(data) holds signed checkpoints but there is no signing key at \(path): a new key would sign \
                    checkpoints the published verifier key rejects. Put the log's key back (from a backup taken with \
                    --include-secrets; mode 0600)\(interrupted), or record a new key in the log: accord key rotate --data \(data)
                    """)
            }
            return
        }
        let key = try SigningKeyFile.load(at: path)
        if let last = chain.links.last {
            guard key.verifier == last.rotation.next else {
                throw CommandError(
                    """
                    the signing key \(path) is not the log's key: the log rotated to \(last.rotation.next.text) at position \
                    \(last.position). Put that key back\(interrupted), or rotate again: accord key rotate --data \(data)
                    """)
            }
        } else if let latest, (try? SignedCheckpoint(text: latest, verifiedBy: key.verifier)) == nil {
            throw CommandError(
                """
                the signing key \(path) did not sign this log's checkpoints: put the log's own key back, or record a \
                change of key: accord key rotate --data \(data) --previous-key PUBLISHED-KEY
                """)
        }
    }
}
