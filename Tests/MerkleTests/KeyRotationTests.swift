import Checkpoints
import Foundation
import Testing

/// The statement that carries a log's signing key from one key to the next.
struct KeyRotationTests {
    @Test func anEndorsedRotationVerifiesWithThePreviousKeyOnly() throws {
        let previous = try NoteSignerKey(name: "register.example/accord")
        let next = try NoteSignerKey(name: "register.example/accord")
        let rotation = try KeyRotation(previous: previous.verifier, next: next.verifier, endorsedBy: previous)
        #expect(rotation.isEndorsed)
        #expect(rotation.body == "accord signing key rotation\n\(previous.verifier.text)\n\(next.verifier.text)\n")
        // Read back from the log as written.
        #expect(KeyRotation(previous: previous.verifier, next: next.verifier, endorsement: rotation.endorsement).isEndorsed)
        // The endorsement covers both keys: swapping the next key breaks it.
        let other = try NoteSignerKey(name: "register.example/accord")
        #expect(!KeyRotation(previous: previous.verifier, next: other.verifier, endorsement: rotation.endorsement).isEndorsed)
        #expect(!KeyRotation(previous: previous.verifier, next: next.verifier, endorsement: nil).isEndorsed)
        #expect(!KeyRotation(previous: previous.verifier, next: next.verifier, endorsement: "AAAA").isEndorsed)
    }

    @Test func onlyThePreviousKeyMayEndorseAndTheOriginStays() throws {
        let previous = try NoteSignerKey(name: "register.example/accord")
        let next = try NoteSignerKey(name: "register.example/accord")
        #expect(throws: CheckpointError.self) { try KeyRotation(previous: previous.verifier, next: next.verifier, endorsedBy: next) }
        let renamed = try NoteSignerKey(name: "elsewhere.example/accord")
        #expect(throws: CheckpointError.self) {
            try KeyRotation(previous: previous.verifier, next: renamed.verifier, endorsedBy: previous)
        }
    }
}
