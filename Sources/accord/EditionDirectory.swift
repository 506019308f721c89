import AccordCore
import CommandSupport
import Editions
import Foundation

/// An edition on disk: written whole or not at all, read back, and
/// compared file by file with a regenerated one.
struct EditionDirectory {
    let path: String

    var manifestPath: String { (path as NSString).appendingPathComponent("edition.json") }

    func manifest() throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw CommandError("\(path) holds no edition.json: is it an edition's folder?")
        }
        return [UInt8](data)
    }

    /// Writes every file into a new folder beside `path`, then renames it
    /// into place: a reader never sees half an edition. An existing folder
    /// is accepted only when it already holds exactly this edition.
    /// Returns `false` when it did and nothing was written.
    func write(_ edition: Edition) throws -> Bool {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            let entries = (try? manager.contentsOfDirectory(atPath: path)) ?? []
            if entries.isEmpty {
                try manager.removeItem(atPath: path)
            } else if differences(from: edition).isEmpty {
                return false
            } else {
                throw CommandError(
                    "\(path) already holds another edition or other files; choose a new --out folder (editions are never overwritten)")
            }
        }
        let parent =
            ((path as NSString).deletingLastPathComponent as NSString).isEqual(to: "") ? "." : (path as NSString).deletingLastPathComponent
        let stagingPrefix = ".\((path as NSString).lastPathComponent).partial-"
        let staging = (parent as NSString).appendingPathComponent(stagingPrefix + "\(getpid())")
        // What a publish killed half-way left beside the folder: never a reader's, since only a rename publishes it.
        for stale in (try? manager.contentsOfDirectory(atPath: parent)) ?? [] where stale.hasPrefix(stagingPrefix) {
            try? manager.removeItem(atPath: (parent as NSString).appendingPathComponent(stale))
        }
        do {
            var folders = Set<String>()
            for (relative, bytes) in edition.allFiles {
                let file = (staging as NSString).appendingPathComponent(relative)
                let folder = (file as NSString).deletingLastPathComponent
                if folders.insert(folder).inserted { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                try Self.write(bytes, to: file)
            }
            try Self.flush(staging)
            guard rename(staging, path) == 0 else {
                throw CommandError("cannot move the edition into \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            // A full disk or a failed rename leaves no half edition behind.
            try? manager.removeItem(atPath: staging)
            throw error
        }
        return true
    }

    /// One file, plainly: ten thousand pages through Foundation's atomic
    /// writes would cost a temporary file and a sync each.
    private static func write(_ bytes: [UInt8], to file: String) throws {
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CommandError("cannot create \(file): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw CommandError("cannot write \(file): \(String(cString: strerror(errno)))") }
            written += n
        }
    }

    /// Every file on disk before the folder is renamed into place: one sync
    /// of the file system rather than one per file.
    private static func flush(_ folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CommandError("cannot open \(folder): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // glibc's syncfs(2) is declared only under _GNU_SOURCE, which Swift's Glibc module does not set.
        typealias SyncFS = @convention(c) (Int32) -> Int32
        if let symbol = dlsym(nil, "syncfs") {
            guard unsafeBitCast(symbol, to: SyncFS.self)(fd) == 0 else {
                throw CommandError("cannot sync \(folder): \(String(cString: strerror(errno)))")
            }
        } else {
            sync()
        }
    }

    /// What differs between the folder and `edition`: each changed, missing or unexpected file.
    func differences(from edition: Edition) -> [String] {
        var problems: [String] = []
        var expected = Set<String>()
        for (relative, bytes) in edition.allFiles {
            expected.insert(relative)
            let file = (path as NSString).appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: file) else {
                problems.append("\(relative): missing")
                continue
            }
            if [UInt8](data) != bytes {
                problems.append("\(relative): differs from the regenerated file\(detail(relative, [UInt8](data), bytes))")
            }
        }
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(relative), isDirectory: &isDirectory)
            if !isDirectory.boolValue, !expected.contains(relative) { problems.append("\(relative): not part of the edition") }
        }
        return problems.sorted()
    }

    /// For a CSV, the first line that differs.
    private func detail(_ relative: String, _ found: [UInt8], _ expected: [UInt8]) -> String {
        guard relative.hasSuffix(".csv") || relative == "edition.json" else { return "" }
        let a = String(decoding: found, as: UTF8.self).components(separatedBy: "\n")
        let b = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
        for i in 0..<max(a.count, b.count) where (i < a.count ? a[i] : nil) != (i < b.count ? b[i] : nil) {
            let was = i < a.count ? a[i].trimmingCharacters(in: .newlines) : "(no line)"
            let now = i < b.count ? b[i].trimmingCharacters(in: .newlines) : "(no line)"
            return " (line \(i + 1): \"\(was.prefix(200))\", regenerated \"\(now.prefix(200))\")"
        }
        return ""
    }
}
