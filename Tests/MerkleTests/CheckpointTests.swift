import Checkpoints
import Foundation
import Merkle
import Testing

struct CheckpointTests {
    let root = RFC6962.leafHash(Array("root".utf8))

    @Test func aSignedCheckpointVerifiesAndReadsBack() throws {
        let key = try NoteSignerKey(name: "accord.example/register")
        let signed = try SignedCheckpoint(signing: Checkpoint(origin: key.name, size: 1_024, root: root), with: key)
        let lines = signed.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6 && lines[0] == "accord.example/register" && lines[1] == "1024" && lines[2] == Substring(root.base64))
        #expect(lines[3].isEmpty && lines[4].hasPrefix("\u{2014} accord.example/register ") && lines[5].isEmpty)
        let read = try SignedCheckpoint(text: signed.text, verifiedBy: key.verifier)
        #expect(read.checkpoint == Checkpoint(origin: key.name, size: 1_024, root: root))
    }

    @Test func alteredCheckpointsAndOtherKeysAreRefused() throws {
        let key = try NoteSignerKey(name: "log-a")
        let text = try SignedCheckpoint(signing: Checkpoint(origin: "log-a", size: 5, root: root), with: key).text
        #expect(throws: CheckpointError.self) {
            try SignedCheckpoint(text: text.replacingOccurrences(of: "\n5\n", with: "\n6\n"), verifiedBy: key.verifier)
        }
        let other = try NoteSignerKey(name: "log-a")
        #expect(throws: CheckpointError.self) { try SignedCheckpoint(text: text, verifiedBy: other.verifier) }
        #expect(throws: CheckpointError.self) { try SignedCheckpoint(text: text, verifiedBy: key.verifier, origin: "log-b") }
        #expect(throws: CheckpointError.self) { try SignedCheckpoint(text: "log-a\n5\n", verifiedBy: key.verifier) }
    }

    @Test func keysRoundTripThroughTheirTextForms() throws {
        let key = try NoteSignerKey(name: "accord")
        let again = try NoteSignerKey(text: key.text)
        #expect(again.verifier == key.verifier)
        #expect(try NoteVerifierKey(text: key.verifier.text) == key.verifier)
        #expect(throws: CheckpointError.self) { try NoteVerifierKey(text: "accord+00000000+" + key.verifier.text.split(separator: "+")[2]) }
        #expect(throws: CheckpointError.self) { try NoteSignerKey(name: "has space") }
    }

    @Test func theKeyFileIsPrivateAndReused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/checkpoint.key"
        let key = try SigningKeyFile.loadOrCreate(at: path, name: "accord")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
        #expect(mode == 0o600)
        #expect(try SigningKeyFile.loadOrCreate(at: path, name: "ignored").verifier == key.verifier)
        chmod(path, 0o644)
        #expect(throws: CheckpointError.self) { try SigningKeyFile.load(at: path) }
    }
}
