import AccordClient
import AccordCore
import AccordJSON
import Checkpoints
import CommandSupport
import Editions
import EventStore
import Foundation
import Merkle
import Transparency
import WireProtocol

/// Where `accord publish` reads the log: a data directory, or a server.
enum EditionLog {
    case offline(EventStore, data: String)
    case online(AccordClient)

    /// Online, only an admin or an auditor may record an edition: better to
    /// say so before reading a million events than after writing the files.
    func checkRole() throws {
        guard case .online(let client) = self, let role = client.identity["role"]?.stringValue else { return }
        guard role == "admin" || role == "auditor" else {
            throw CommandError("publishing online needs an admin or auditor token, not a \(role)'s: the edition could not be recorded")
        }
    }

    /// The signed checkpoint of exactly `size` events, or the newest.
    func checkpointText(size: UInt64?) async throws -> String {
        switch self {
        case .online(let client):
            guard let size else { return try await client.checkpoint().text }
            let answer = try await client.send(.checkpoint(treeSize: UInt64(size)))
            guard let text = answer["checkpoint"]?.stringValue else { throw AuditFailure("the server's checkpoint has no note") }
            return text
        case .offline(let store, let data):
            guard let size else {
                guard let text = try Checkpointer.latestStored(in: store.environment) else {
                    throw CommandError("\(data) holds no signed checkpoint yet; a running server stores one every few seconds")
                }
                return text
            }
            if let text = try Checkpointer.stored(size: size, in: store.environment) { return text }
            return try signOffline(size: size, store: store, data: data)
        }
    }

    /// A checkpoint of a size no server stored, signed with the data
    /// directory's key when it is the key in effect at that size.
    private func signOffline(size: UInt64, store: EventStore, data: String) throws -> String {
        guard size <= store.head else { throw CommandError("--as-of \(size) is past the log's head \(store.head)") }
        let path = SigningKeyLocation.path(data: data, configured: nil)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandError("no checkpoint of \(size) events is stored and \(data) holds no signing key to sign one")
        }
        let key = try SigningKeyFile.load(at: path)
        guard let text = try Checkpointer.sign(size: size, of: store, with: key, keyChain: try KeyChain(store: store)) else {
            throw CommandError("no checkpoint of \(size) events is stored, and the key in effect at that size is not \(path)")
        }
        return text
    }

    /// The keys to verify the checkpoint with when none is given: the data directory's, or the one the server states.
    func defaultKeys() async throws -> [NoteVerifierKey] {
        switch self {
        case .offline(_, let data): return try SigningKeyLocation.verifiers([], data: data)
        case .online(let client): return [try NoteVerifierKey(text: try await client.checkpoint().key)]
        }
    }

    func fold(_ events: EditionEvents) async throws -> EditionFold {
        switch self {
        case .offline(let store, _): try events.offline(store)
        case .online(let client): try await events.online(client)
        }
    }

    /// Online, puts the edition on the record (`publish_edition`); offline, nothing.
    func record(_ edition: Edition) async throws -> (position: UInt64, duplicate: Bool)? {
        guard case .online(let client) = self else { return nil }
        let checkpoint = edition.source.checkpoint.checkpoint
        let answer = try await client.request(
            "publish_edition",
            [
                "treeSize": .integer(Int64(checkpoint.size)), "root": .string(checkpoint.root.base64),
                "manifestSha256": .string(edition.manifestSHA256), "editionDate": .string(edition.date.description),
            ])
        guard let position = answer["positions"]?.arrayValue?.first?.int64Value else {
            throw AuditFailure("the server's answer to publish_edition names no position")
        }
        return (UInt64(position), answer["duplicate"] == .bool(true))
    }
}

extension Publish {
    struct Plan {
        var checkpoint: SignedCheckpoint
        var key: NoteVerifierKey
        var previous: PreviousEdition?
    }

    /// Which checkpoint, verified with which key, and which previous edition.
    func plan(_ log: EditionLog) async throws -> Plan {
        var text: String
        var previous: PreviousEdition?
        if let check {
            let manifest = try JSONParser.parse(try EditionDirectory(path: check).manifest())
            guard let note = manifest["checkpoint"]?.stringValue else { throw CommandError("\(check)/edition.json has no checkpoint") }
            text = note
            if let was = manifest["previous"], was != .null {
                guard let size = was["treeSize"]?.int64Value, let root = was["root"]?.stringValue.flatMap({ TreeHash(base64: $0) }),
                    let date = was["editionDate"]?.stringValue.flatMap({ CalendarDate($0) }), let hash = was["manifestSha256"]?.stringValue
                else { throw CommandError("\(check)/edition.json's previous edition lacks its size, root, date or hash") }
                previous = PreviousEdition(treeSize: UInt64(size), root: root, date: date, manifestSHA256: hash)
            }
        } else if let checkpoint {
            guard let saved = try? String(contentsOfFile: checkpoint, encoding: .utf8) else {
                throw CommandError("cannot read the saved checkpoint \(checkpoint)")
            }
            text = saved
        } else {
            text = try await log.checkpointText(size: asOf)
        }
        if let folder = self.previous { previous = try PreviousEdition(manifest: try EditionDirectory(path: folder).manifest()) }
        let keys = key.isEmpty ? try await log.defaultKeys() : try SigningKeyLocation.verifiers(key, data: nil)
        guard !keys.isEmpty else { throw CommandError("no verifier key: give --key (the line accord key prints)") }
        var problems: [String] = []
        for candidate in keys {
            do {
                return Plan(checkpoint: try SignedCheckpoint(text: text, verifiedBy: candidate), key: candidate, previous: previous)
            } catch {
                problems.append("\(error)")
            }
        }
        throw AuditFailure("the checkpoint does not verify: \(problems.joined(separator: "; "))")
    }
}
