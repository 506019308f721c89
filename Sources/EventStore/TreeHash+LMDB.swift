import LMDB
import Merkle

extension TreeHash: LMDBCodable {
    public init(lmdbBytes: UnsafeRawBufferPointer) throws {
        guard lmdbBytes.count == TreeHash.byteCount else { throw EventStoreError.corrupted("a Merkle node of \(lmdbBytes.count) bytes") }
        self.init(unsafeBytes: lmdbBytes)
    }

    public func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}
