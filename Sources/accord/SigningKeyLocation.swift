import Checkpoints
import CommandSupport
import Foundation

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

    /// The verifier key from `--key` (text or a file holding it), else from the
    /// data directory's signing key, else `nil`.
    static func verifier(_ option: String?, data: String?) throws -> NoteVerifierKey? {
        if let option {
            let text = FileManager.default.fileExists(atPath: option) ? try String(contentsOfFile: option, encoding: .utf8) : option
            return try NoteVerifierKey(text: text)
        }
        guard let data else { return nil }
        let path = path(data: data, configured: nil)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try SigningKeyFile.load(at: path).verifier
    }
}
