import AccordCore
import AccordJSON
import Foundation
import Synchronization
import WireProtocol

/// Whether this server was superseded by a newer primary: once fenced, it
/// takes no more writes (appends and audited reads get `read_only`, naming
/// the newer epoch), whatever restarts follow. The record is a file in the
/// data directory, `fenced.json` (mode 0600), written when an admin or the
/// promoted replica says `fence`, or when a `--peer` reports a newer epoch;
/// only an operator removes it (ops/replication.md).
public final class Fence: Sendable {
    /// Who superseded this server, and when.
    public struct Record: Codable, Sendable, Equatable {
        public var epoch: UInt64
        /// The newer primary, as it was named (`HOST:PORT`), when known.
        public var primary: String?
        public var reason: String
        public var at: String
    }

    public static let fileName = "fenced.json"
    private let path: String?
    /// This server's own epoch (its log's), fixed while it runs: promotions are recorded offline.
    public let epoch: UInt64
    private let record: Mutex<Record?>

    /// Reads `fenced.json` in `directory`; a record of an epoch not newer than `epoch` is ignored.
    public init(directory: String, epoch: UInt64) throws {
        self.epoch = epoch
        let path = directory + "/" + Self.fileName
        self.path = path
        var found: Record?
        if let bytes = FileManager.default.contents(atPath: path) {
            do {
                found = try JSONValueDecoder().decode(Record.self, from: Array(bytes))
            } catch {
                throw ServerError.fence("\(path) cannot be read (\(error)); it records that a newer primary superseded this one")
            }
        }
        record = Mutex(found.flatMap { $0.epoch > epoch ? $0 : nil })
    }

    /// A fence that lives as long as the process (tests, benchmarks: no data directory's record).
    public init(epoch: UInt64) {
        self.epoch = epoch
        path = nil
        record = Mutex(nil)
    }

    /// The record while fenced, `nil` otherwise.
    public var current: Record? { record.withLock { $0 } }

    /// Fences this server for a primary of `newer` epoch; `false` when `newer` is not newer than its own.
    @discardableResult
    public func fence(epoch newer: UInt64, primary: String?, reason: String) throws -> Bool {
        guard newer > epoch else { return false }
        let entry = Record(epoch: newer, primary: primary, reason: reason, at: Date().ISO8601Format())
        if let path {
            let bytes = try JSONValueEncoder().canonicalBytes(entry)
            try PrivateFile.write(bytes, to: path, mode: 0o600)
        }
        record.withLock { current in
            if (current?.epoch ?? 0) < newer { current = entry }
        }
        return true
    }

    /// The refusal for a write while fenced.
    var refusal: WireError? {
        guard let record = current else { return nil }
        var details: [String: JSONValue] = ["epoch": .integer(Int64(record.epoch))]
        if let primary = record.primary { details["primary"] = .string(primary) }
        return WireError(
            .readOnly,
            "this server was superseded by a newer primary (epoch \(record.epoch)\(record.primary.map { " at \($0)" } ?? "")): "
                + "it takes no more writes; \(record.reason)",
            details: details)
    }
}
