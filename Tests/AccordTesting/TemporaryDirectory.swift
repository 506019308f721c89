import Foundation

/// A fresh directory under the system temp folder, removed when the value is
/// released. Each test makes its own, so tests share no state.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "accord") {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside this directory.
    public func child(_ name: String) -> String { "\(path)/\(name)" }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
