import Crypto
import Foundation

/// The secret half of a `NoteVerifierKey`.
public struct NoteSignerKey: Sendable {
    public let name: String
    private let seed: Data

    /// A fresh random key.
    public init(name: String) throws {
        try NoteVerifierKey.check(name: name)
        self.name = name
        seed = Curve25519.Signing.PrivateKey().rawRepresentation
    }

    private var privateKey: Curve25519.Signing.PrivateKey {
        // Checked when this key was made.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    /// Parses `PRIVATE+KEY+NAME+HHHHHHHH+BASE64(0x01 ‖ seed)`.
    public init(text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", let id = UInt32(parts[3], radix: 16),
            let seed = Data(base64Encoded: String(parts[4])), seed.count == 33, seed.first == 1
        else { throw CheckpointError.malformedKey("a signer key looks like PRIVATE+KEY+NAME+HHHHHHHH+BASE64") }
        name = String(parts[2])
        try NoteVerifierKey.check(name: name)
        self.seed = Data(try Curve25519.Signing.PrivateKey(rawRepresentation: seed.dropFirst()).rawRepresentation)
        guard verifier.keyID == id else {
            throw CheckpointError.malformedKey("the signer key's id \(parts[3]) does not match its name and key")
        }
    }

    public var verifier: NoteVerifierKey {
        // The name was checked when this key was made.
        try! NoteVerifierKey(name: name, publicKey: privateKey.publicKey)
    }

    /// `PRIVATE+KEY+NAME+HHHHHHHH+BASE64(0x01 ‖ seed)`.
    public var text: String {
        "PRIVATE+KEY+\(name)+\(NoteVerifierKey.hex(verifier.keyID))+\((Data([1]) + privateKey.rawRepresentation).base64EncodedString())"
    }

    func sign(_ message: Data) throws -> Data {
        try privateKey.signature(for: message)
    }
}
