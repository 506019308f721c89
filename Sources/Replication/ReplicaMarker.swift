import AccordCore
import Foundation

/// `replica.json` in a replica's data directory: which primary it copies,
/// and the log's origin and verifier key once it first verified one.
///
/// Its presence is what keeps a replica's directory from being served as a
/// primary by mistake (`accord serve` without `--follow` refuses it) until
/// `accord promote` records the promotion and removes it.
public struct ReplicaMarker: Codable, Sendable, Equatable {
    public static let fileName = "replica.json"

    /// HOST:PORT of the primary.
    public var primary: String
    /// The log's name in the primary's checkpoints, learned on first contact.
    public var origin: String?
    /// The verifier key trusted for the primary's checkpoints (given with
    /// `--follow-key`, or trusted on first use).
    public var key: String?

    public init(primary: String, origin: String? = nil, key: String? = nil) {
        self.primary = primary
        self.origin = origin
        self.key = key
    }

    static func path(in directory: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
    }

    /// The marker in `directory`, or `nil` when it is not a replica's.
    public static func load(from directory: String) throws -> ReplicaMarker? {
        guard let data = FileManager.default.contents(atPath: path(in: directory)) else { return nil }
        do {
            return try JSONDecoder().decode(ReplicaMarker.self, from: data)
        } catch {
            throw ReplicationError.configuration("\(path(in: directory)) is damaged: \(error)")
        }
    }

    /// Writes the marker atomically (a rename), so a crash leaves the old or the new one.
    public func save(in directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try PrivateFile.write(try encoder.encode(self) + Data("\n".utf8), to: Self.path(in: directory), mode: 0o640)
    }

    /// Removes the marker: the directory is a primary's from now on.
    public static func remove(from directory: String) throws {
        try FileManager.default.removeItem(atPath: path(in: directory))
    }
}
