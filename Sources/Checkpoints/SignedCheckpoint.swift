import Foundation

/// A checkpoint with its Ed25519 signature, as a C2SP signed note:
///
/// ```
/// accord.example/register
/// 1024
/// 4bJ…=
///
/// — accord.example/register AbCd…==
/// ```
///
/// The signature line is an em dash (U+2014), a space, the key name, a space,
/// and base64 of the 4-byte key id followed by the 64-byte signature over the
/// body (the text up to and including the third newline).
public struct SignedCheckpoint: Sendable, Equatable {
    public let checkpoint: Checkpoint
    /// The whole note, exactly as signed and as served.
    public let text: String

    /// Signs `checkpoint` with `key`.
    public init(signing checkpoint: Checkpoint, with key: NoteSignerKey) throws {
        let body = checkpoint.body
        let signature = try key.sign(Data(body.utf8))
        var blob = Data()
        withUnsafeBytes(of: key.verifier.keyID.bigEndian) { blob.append(contentsOf: $0) }
        blob.append(signature)
        self.checkpoint = checkpoint
        text = body + "\n\u{2014} \(key.name) \(blob.base64EncodedString())\n"
    }

    /// The checkpoint a signed note states, before any signature is checked:
    /// to learn its size, and so which key must have signed it.
    public static func unverified(text: String) throws -> Checkpoint {
        guard let split = text.range(of: "\n\n") else {
            throw CheckpointError.malformedNote("a signed note is its text, a blank line, then signature lines")
        }
        return try Checkpoint(body: String(text[..<split.lowerBound]) + "\n")
    }

    /// Parses a signed note and checks it was signed by `key`, with the key's
    /// name as origin unless `origin` says otherwise. Signatures by other keys
    /// are allowed and ignored (witnesses may cosign).
    public init(text: String, verifiedBy key: NoteVerifierKey, origin: String? = nil) throws {
        guard let split = text.range(of: "\n\n") else {
            throw CheckpointError.malformedNote("a signed note is its text, a blank line, then signature lines")
        }
        let body = String(text[..<split.lowerBound]) + "\n"
        let signatures = text[split.upperBound...]
        let checkpoint = try Checkpoint(body: body)
        let expectedOrigin = origin ?? key.name
        guard checkpoint.origin == expectedOrigin else {
            throw CheckpointError.badSignature("the checkpoint is for log \(checkpoint.origin), not \(expectedOrigin)")
        }
        guard signatures.hasSuffix("\n") else { throw CheckpointError.malformedNote("a signed note ends with a newline") }
        var verified = false
        for line in signatures.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "\u{2014}", let blob = Data(base64Encoded: String(fields[2])), blob.count > 4 else {
                throw CheckpointError.malformedNote("a signature line is \u{2014} NAME BASE64, not \(line)")
            }
            let id = blob.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard fields[1] == key.name, id == key.keyID else { continue }
            guard blob.count == 68, key.publicKey.isValidSignature(blob.dropFirst(4), for: Data(body.utf8)) else {
                throw CheckpointError.badSignature(
                    "the signature by \(key.name) does not verify: the checkpoint was altered or signed by another key")
            }
            verified = true
        }
        guard verified else {
            throw CheckpointError.badSignature("the checkpoint carries no signature by \(key.name)+\(NoteVerifierKey.hex(key.keyID))")
        }
        self.checkpoint = checkpoint
        self.text = text
    }
}
