import AccordCore
import LMDB
import Merkle

/// `stream name ‖ 0x00 ‖ version BE`: a stream's events sort together, by version.
struct StreamIndexKey: LMDBCodable {
    var bytes: [UInt8]

    init(stream: StreamName, version: StreamVersion) {
        bytes = Array(stream.rawValue.utf8)
        bytes.reserveCapacity(bytes.count + 9)
        bytes.append(0)
        withUnsafeBytes(of: version.bigEndian) { bytes.append(contentsOf: $0) }
    }

    init(lmdbBytes: UnsafeRawBufferPointer) throws { bytes = Array(lmdbBytes) }

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }
}
