import AccordCore
import AccordJSON
import Foundation
import LMDB

/// The 16 raw bytes of an event id, as keyed in `event_ids`.
struct EventIDKey: LMDBCodable {
    let uuid: UUID

    init(_ uuid: UUID) { self.uuid = uuid }

    init(lmdbBytes: UnsafeRawBufferPointer) throws {
        guard lmdbBytes.count == 16 else { throw EventStoreError.corrupted("event id key of \(lmdbBytes.count) bytes") }
        uuid = UUID(uuid: lmdbBytes.loadUnaligned(as: uuid_t.self))
    }

    func withLMDBBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: uuid.uuid, body)
    }
}
