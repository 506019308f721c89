import Foundation

/// A change of a log's checkpoint-signing key, as recorded in the log
/// (`$keys`, `signing_key_rotated`): the key that signed until now, the key
/// that signs from now on, and, when the previous secret key was at hand,
/// its endorsement of the change.
///
/// The endorsement is an Ed25519 signature by the previous key over
/// `body`, encoded as a note signature (4-byte key id, then 64 bytes, base64),
/// so an auditor who trusts the previous key can trust the next without
/// asking anyone. A rotation without one (the previous key was lost) is
/// trusted only by an auditor who was given the next key itself.
/// Both keys carry the log's origin as their name: a log keeps its origin.
public struct KeyRotation: Sendable, Equatable {
    public let previous: NoteVerifierKey
    public let next: NoteVerifierKey
    /// base64(key id ‖ signature) by `previous` over `body`, or `nil`.
    public let endorsement: String?

    /// The text the previous key signs.
    public var body: String {
        "accord signing key rotation\n\(previous.text)\n\(next.text)\n"
    }

    /// A rotation from `previous` to `next`, endorsed when the previous secret key is given.
    public init(previous: NoteVerifierKey, next: NoteVerifierKey, endorsedBy signer: NoteSignerKey?) throws {
        guard previous.name == next.name else {
            throw CheckpointError.malformedKey("a log keeps its origin: the next key must be named \(previous.name), not \(next.name)")
        }
        self.previous = previous
        self.next = next
        if let signer {
            guard signer.verifier == previous else {
                throw CheckpointError.badSignature("only the previous key \(previous.text) may endorse its successor")
            }
            var blob = Data()
            withUnsafeBytes(of: previous.keyID.bigEndian) { blob.append(contentsOf: $0) }
            blob.append(try signer.sign(Data("accord signing key rotation\n\(previous.text)\n\(next.text)\n".utf8)))
            endorsement = blob.base64EncodedString()
        } else {
            endorsement = nil
        }
    }

    /// A rotation as read back from the log.
    public init(previous: NoteVerifierKey, next: NoteVerifierKey, endorsement: String?) {
        self.previous = previous
        self.next = next
        self.endorsement = endorsement
    }

    /// Whether the previous key endorsed this rotation with a valid signature.
    public var isEndorsed: Bool {
        guard let endorsement, let blob = Data(base64Encoded: endorsement), blob.count == 68 else { return false }
        let id = blob.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return id == previous.keyID && previous.publicKey.isValidSignature(blob.dropFirst(4), for: Data(body.utf8))
    }
}
