import AccordCore
import Foundation

/// The server's checkpoint-signing key on disk: one line, the signer key text,
/// in a file readable by its owner only (mode 0600).
public enum SigningKeyFile {
    /// Reads the key at `path`, or creates one named `name` there on first use.
    /// Refuses a key file that others can read.
    public static func loadOrCreate(at path: String, name: String) throws -> NoteSignerKey {
        if FileManager.default.fileExists(atPath: path) { return try load(at: path) }
        let key = try NoteSignerKey(name: name)
        try create(at: path, key: key)
        return key
    }

    /// Writes `key` to a new file at `path`, mode 0600, synced.
    public static func create(at path: String, key: NoteSignerKey) throws {
        let fd: Int32
        do { fd = try PrivateFile.create(path, mode: 0o600) } catch { throw CheckpointError.keyFile("\(error)") }
        defer { close(fd) }
        let bytes = Array((key.text + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw CheckpointError.keyFile("cannot write the signing key \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Reads the key at `path`.
    public static func load(at path: String) throws -> NoteSignerKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CheckpointError.keyFile("cannot read the signing key \(path): \(String(cString: strerror(errno)))")
        }
        if let problem = PrivateFile.openness(of: path, what: "signing key") { throw CheckpointError.keyFile(problem) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CheckpointError.keyFile("cannot read the signing key \(path)")
        }
        return try NoteSignerKey(text: text)
    }
}
