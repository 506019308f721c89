import AccordCore
import AccordJSON
import Crypto
import Foundation

/// The bearer tokens clients present in `hello`, as a JSON file holding only
/// their SHA-256 hashes, so that a copy of the file grants nothing:
///
/// ```json
/// {"tokens": [{"name": "case-system", "role": "writer", "sha256": "…64 hex…"},
///             {"name": "leeds", "role": "recipient", "recipientId": "R-UNI-1", "sha256": "…"}]}
/// ```
///
/// Tokens are `acc_` followed by 43 base64url characters (256 random bits).
/// Presented tokens are hashed and compared with every entry in constant time.
public struct TokenStore: Sendable {
    public struct Entry: Sendable, Codable, Equatable {
        public var name: String
        public var role: String
        public var recipientId: String?
        public var sha256: String
    }

    public private(set) var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// Whether any token is configured: then every connection must authenticate.
    public var isEmpty: Bool { entries.isEmpty }

    /// Reads a token file; a missing file is an empty store. A file that
    /// group or others may read or write is refused, as the signing key is:
    /// whoever can write it can grant themselves any role.
    public static func load(_ path: String) throws -> TokenStore {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return TokenStore() }
            throw ServerError.tokens("cannot read the token file \(path): \(String(cString: strerror(errno)))")
        }
        if let problem = PrivateFile.openness(of: path, what: "token file") { throw ServerError.tokens(problem) }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw ServerError.tokens("cannot read the token file \(path)")
        }
        let value = try JSONParser.parse(Array(bytes))
        let file = try JSONValueDecoder().decode(File.self, from: value)
        for entry in file.tokens {
            guard Role(name: entry.role, recipientId: entry.recipientId) != nil else {
                throw ServerError.tokens(
                    "\(path): token \(entry.name) has role \(entry.role)\(entry.recipientId.map { " for \($0)" } ?? ""), which is not a role"
                )
            }
            guard entry.sha256.utf8.count == 64, entry.sha256.allSatisfy(\.isHexDigit) else {
                throw ServerError.tokens("\(path): token \(entry.name) has no valid sha256")
            }
        }
        return TokenStore(entries: file.tokens)
    }

    /// Writes the store, readable by its owner only.
    public func save(_ path: String) throws {
        let bytes = try JSONValueEncoder().encode(File(tokens: entries)).canonicalBytes + [0x0A]
        do {
            try PrivateFile.write(bytes, to: path, mode: 0o600)
        } catch {
            throw ServerError.tokens("\(error)")
        }
    }

    /// Adds a new token for `name` and returns its secret text (shown once).
    public mutating func create(name: String, role: Role) throws -> String {
        guard !name.isEmpty, name.utf8.count <= 128, !entries.contains(where: { $0.name == name }) else {
            throw ServerError.tokens("a token name must be 1 to 128 bytes and not already used: \(name)")
        }
        var random = [UInt8](repeating: 0, count: 32)
        arc4random_buf(&random, random.count)
        let token =
            "acc_"
            + Data(random).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        var recipientId: String?
        if case .recipient(let id) = role { recipientId = id }
        entries.append(Entry(name: name, role: role.name, recipientId: recipientId, sha256: Self.hash(token)))
        return token
    }

    /// Removes the token named `name`; returns whether there was one.
    public mutating func revoke(name: String) -> Bool {
        let before = entries.count
        entries.removeAll { $0.name == name }
        return entries.count != before
    }

    /// The principal name and role a presented token grants, or `nil`.
    /// Every entry is compared, in constant time, whatever matches.
    public func authenticate(_ token: String) -> (name: String, role: Role)? {
        grant(forHash: Self.hash(token))
    }

    /// What the token with SHA-256 `hash` grants now: how a reload checks the
    /// connections already open (a handler keeps the hash, never the token).
    func grant(forHash hash: String) -> (name: String, role: Role)? {
        let presented = Array(hash.utf8)
        var found: Entry?
        for entry in entries {
            var difference: UInt8 = 0
            for (a, b) in zip(presented, entry.sha256.utf8) { difference |= a ^ b }
            if difference == 0, entry.sha256.utf8.count == presented.count { found = entry }
        }
        guard let found, let role = Role(name: found.role, recipientId: found.recipientId) else { return nil }
        return (found.name, role)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private struct File: Codable {
        var tokens: [Entry]
    }
}
