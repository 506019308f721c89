import Crypto
import Foundation

/// An Ed25519 key in the signed-note format (golang.org/x/mod/sumdb/note,
/// C2SP `signed-note`): a name, a 4-byte key id, and the key.
///
/// Text forms:
/// - verifier key (public): `NAME+HHHHHHHH+BASE64(0x01 ‖ public key)`
/// - signer key (secret): `PRIVATE+KEY+NAME+HHHHHHHH+BASE64(0x01 ‖ seed)`
///
/// where `HHHHHHHH` is the key id in hex: the first four bytes of
/// SHA-256(NAME ‖ "\n" ‖ 0x01 ‖ public key). 0x01 names the Ed25519 algorithm.
public struct NoteVerifierKey: Sendable, Equatable {
    public let name: String
    /// The 32-byte Ed25519 public key (kept as bytes: Crypto's key types are not `Sendable`).
    public let publicKeyBytes: Data
    public let keyID: UInt32

    public init(name: String, publicKey: Curve25519.Signing.PublicKey) throws {
        try Self.check(name: name)
        self.name = name
        publicKeyBytes = publicKey.rawRepresentation
        keyID = Self.keyID(name: name, publicKey: publicKeyBytes)
    }

    public var publicKey: Curve25519.Signing.PublicKey {
        // Checked when this key was made.
        try! Curve25519.Signing.PublicKey(rawRepresentation: publicKeyBytes)
    }

    /// Parses `NAME+HHHHHHHH+BASE64`.
    public init(text: String) throws {
        // Base64 may itself contain '+', so split off only the name and the id.
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let id = UInt32(parts[1], radix: 16), parts[1].count == 8,
            let key = Data(base64Encoded: String(parts[2])), key.count == 33, key.first == 1
        else {
            throw CheckpointError.malformedKey("a verifier key looks like NAME+HHHHHHHH+BASE64 (an Ed25519 key in the signed-note format)")
        }
        try self.init(name: String(parts[0]), publicKey: Curve25519.Signing.PublicKey(rawRepresentation: key.dropFirst()))
        guard keyID == id else { throw CheckpointError.malformedKey("the verifier key's id \(parts[1]) does not match its name and key") }
    }

    /// `NAME+HHHHHHHH+BASE64(0x01 ‖ public key)`.
    public var text: String {
        "\(name)+\(Self.hex(keyID))+\((Data([1]) + publicKey.rawRepresentation).base64EncodedString())"
    }

    static func keyID(name: String, publicKey: Data) -> UInt32 {
        var material = Data(name.utf8)
        material.append(0x0A)
        material.append(0x01)
        material.append(publicKey)
        return SHA256.hash(data: material).withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) }
    }

    static func hex(_ id: UInt32) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Names are non-empty, without spaces or `+` (the note format's rule).
    static func check(name: String) throws {
        guard !name.isEmpty, !name.contains(where: { $0 == "+" || $0.isWhitespace }), name.unicodeScalars.allSatisfy({ $0.value > 0x20 })
        else {
            throw CheckpointError.malformedKey("a key name must be non-empty, with no spaces and no '+': \(name)")
        }
    }
}
