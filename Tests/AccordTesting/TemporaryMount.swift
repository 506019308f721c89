import Foundation

/// A tmpfs of `size` mounted on a fresh directory, unmounted when released:
/// a disk that fills up. Mounting needs root; `available` says whether this
/// process can, for tests to skip (and say so) where it cannot.
public final class TemporaryMount: Sendable {
    public let directory: TemporaryDirectory
    public var path: String { directory.path }

    public static let available: Bool = {
        guard geteuid() == 0 else { return false }
        return (try? TemporaryMount(size: "1m")) != nil
    }()

    /// Mounts a tmpfs of `size` (`mount -o size=`, e.g. "24m").
    public init(size: String, label: String = "mount") throws {
        directory = TemporaryDirectory(label)
        let (status, output) = try Command.run(["mount", "-t", "tmpfs", "-o", "size=\(size)", "tmpfs", directory.path])
        guard status == 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey: output]) }
    }

    /// A path inside the mount.
    public func child(_ name: String) -> String { directory.child(name) }

    deinit {
        _ = try? Command.run(["umount", "-l", directory.path])
    }
}
