import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Files and directories that hold personal data, keys or tokens, created
/// with explicit modes whatever the process's umask: the umask can only make
/// a mode stricter, and each creation sets the mode again with `fchmod` or
/// `chmod`, so a loose umask (root's usual 022) never leaves a file readable
/// by others.
///
/// Files are 0600 (secrets) or 0640 (data a service group may back up);
/// directories 0700 or 0750.
public enum PrivateFile {
    /// Creates `path` and any missing parents with `mode`; existing
    /// directories keep theirs.
    public static func createDirectory(_ path: String, mode: mode_t = 0o750) throws {
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", !FileManager.default.fileExists(atPath: current) {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for directory in missing.reversed() {
            guard mkdir(directory, mode) == 0 || errno == EEXIST else { throw failure("cannot create the directory", directory) }
            guard chmod(directory, mode) == 0 else { throw failure("cannot set the mode of", directory) }
        }
    }

    /// Creates a new file at `path` (refusing one that exists) with `mode`
    /// and returns its open descriptor, which the caller closes.
    public static func create(_ path: String, mode: mode_t = 0o600) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("cannot create", path) }
        guard fchmod(fd, mode) == 0 else {
            close(fd)
            throw failure("cannot set the mode of", path)
        }
        return fd
    }

    /// Writes `bytes` to `path` with `mode`, synced, replacing any file there
    /// by a rename so that a crash leaves the old or the new file, never half.
    public static func write(_ bytes: some Collection<UInt8>, to path: String, mode: mode_t = 0o600) throws {
        let temporary = "\(path).tmp-\(getpid())"
        unlink(temporary)
        let fd = try create(temporary, mode: mode)
        do {
            defer { close(fd) }
            try writeAll(Array(bytes), to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw failure("cannot sync", temporary) }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failure("cannot replace", path)
        }
        syncDirectory(of: path)
    }

    /// Copies `source` to a new file `destination` with `mode`, synced.
    public static func copy(_ source: String, to destination: String, mode: mode_t = 0o600) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("cannot read", source) }
        defer { close(input) }
        let output = try create(destination, mode: mode)
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw failure("cannot read", source) }
            if count == 0 { break }
            try writeAll(Array(buffer[..<count]), to: output, path: destination)
        }
        guard fsync(output) == 0 else { throw failure("cannot sync", destination) }
    }

    /// Why the file at `path` is too open to hold a secret (group or others
    /// may read or write it), or nil when only its owner can.
    public static func openness(of path: String, what: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
        return "the \(what) \(path) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 \(path)"
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw failure("cannot write", path) }
            offset += written
        }
    }

    /// Syncs the directory holding `path`, so that a file created or
    /// renamed there survives a crash; best effort.
    public static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private static func failure(_ what: String, _ path: String) -> CoreError {
        .file("\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
