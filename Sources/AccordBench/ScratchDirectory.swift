import Foundation

/// A temporary data directory removed when released.
final class ScratchDirectory {
    let path: String

    init(in base: String) {
        path = (base as NSString).appendingPathComponent("accord-bench-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
