import Foundation
import ZIPFoundation

/// A zip container written deterministically: entries in the order given,
/// every timestamp the edition's date, fixed permissions. ZIPFoundation
/// writes the zip format; OpenDocument needs `mimetype` first and stored.
enum ZipContainer {
    struct Entry {
        var path: String
        var bytes: [UInt8]
        /// `false` for OpenDocument's `mimetype`, which readers find by its offset.
        var compressed = true
    }

    static func bytes(_ entries: [Entry], date: Date) throws(EditionError) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for entry in entries {
                let data = Data(entry.bytes)
                try archive.addEntry(
                    with: entry.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date, permissions: 0o644,
                    compressionMethod: entry.compressed ? .deflate : .none
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw EditionError.container("the zip archive has no data") }
            return [UInt8](data)
        } catch let error as EditionError {
            throw error
        } catch {
            throw .container("\(error)")
        }
    }
}
