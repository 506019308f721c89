import AccordCore
import AccordJSON
import Merkle
import WireProtocol

/// What an acknowledged append wrote: its positions and version, when it was
/// committed, and its receipt (the events' Merkle leaves and a committed tree
/// that includes them).
public struct AppendReceipt: Sendable, Hashable {
    public var agreementId: StreamName
    /// The events' positions, in request order.
    public var positions: [Position]
    /// The stream's version after the append.
    public var streamVersion: StreamVersion
    public var recordedAt: Timestamp
    /// `true` when every event was appended before (a retry): nothing was written.
    public var duplicate: Bool
    /// The size of a committed tree that includes the events.
    public var treeSize: UInt64
    /// RFC 6962 leaf hashes of the events, in position order.
    public var leafHashes: [TreeHash]

    init(agreementId: StreamName, result: JSONValue) throws(ClientError) {
        guard let positions = result["positions"]?.arrayValue?.compactMap({ $0.int64Value.map(UInt64.init) }),
            let version = result["streamVersion"]?.int64Value, let recorded = result["recordedAt"]?.stringValue,
            let recordedAt = Timestamp(storedRFC3339: recorded), let receipt = result["receipt"],
            let treeSize = receipt["treeSize"]?.int64Value,
            let hashes = receipt["leafHashes"]?.arrayValue?.compactMap({ $0.stringValue.flatMap(TreeHash.init(base64:)) })
        else { throw .unexpectedAnswer("an append result lacks its positions, version, time or receipt") }
        self.agreementId = agreementId
        self.positions = positions
        streamVersion = UInt64(version)
        self.recordedAt = recordedAt
        duplicate = result["duplicate"] == .bool(true)
        self.treeSize = UInt64(treeSize)
        leafHashes = hashes
    }

    /// The events as the log recorded them, rebuilt from what was sent and
    /// what the receipt says, for recomputing their leaves.
    public func recordedEvents(_ events: [NewEvent], principal: String?) -> [RecordedEvent] {
        let firstVersion = streamVersion + 1 - UInt64(events.count)
        return zip(events, positions).enumerated().map { offset, pair in
            let (event, position) = pair
            return RecordedEvent(
                position: position, stream: agreementId, version: firstVersion + UInt64(offset), eventId: event.eventId, type: event.type,
                data: event.data, metadata: event.metadata, occurredAt: event.occurredAt, recordedAt: recordedAt, principal: principal)
        }
    }
}

extension AccordClient {
    /// Appends `events` to an agreement, atomically; returns once the server
    /// has committed them durably. Retrying with the same event ids is safe:
    /// a retry returns the original result with `duplicate` set.
    public func append(to agreementId: StreamName, expected: ExpectedVersion = .any, events: [NewEvent]) async throws -> AppendReceipt {
        let wire = events.map { event in
            WireEvent(eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata, occurredAt: event.occurredAt)
        }
        let result = try await send(.append(AppendCommand(agreementId: agreementId, expected: expected, events: wire)))
        return try AppendReceipt(agreementId: agreementId, result: result)
    }

    /// Checks a receipt the way an auditor would: each event's leaf hash is
    /// recomputed from the event as sent (for a first append), and its
    /// inclusion in the receipt's tree is proved against `root`, the root of
    /// that tree (from a checkpoint the caller trusts; by default the root
    /// the server gives with the proof).
    /// - Returns: the root of the receipt's tree that the proofs lead to.
    @discardableResult
    public func verify(_ receipt: AppendReceipt, events: [NewEvent], root: TreeHash? = nil) async throws -> TreeHash {
        guard receipt.leafHashes.count == events.count, receipt.positions.count == events.count else {
            throw ClientError.verificationFailed("the receipt names \(receipt.leafHashes.count) leaves for \(events.count) events")
        }
        if !receipt.duplicate {
            let principal = identity["principal"]?.stringValue
            for (event, hash) in zip(receipt.recordedEvents(events, principal: principal), receipt.leafHashes)
            where RFC6962.leafHash(event.jsonBytes) != hash {
                throw ClientError.verificationFailed("event \(event.eventId.lowercaseText) does not hash to its receipt's leaf")
            }
        }
        var proven = root
        for (position, leaf) in zip(receipt.positions, receipt.leafHashes) {
            let proof = try await inclusionProof(position: position, treeSize: receipt.treeSize)
            let expected = proven ?? proof.root
            guard proof.leafHash == leaf else {
                throw ClientError.verificationFailed("the server's leaf at \(position) is not the receipt's")
            }
            do {
                try ProofVerifier.verifyInclusion(leaf: leaf, index: position, size: receipt.treeSize, proof: proof.path, root: expected)
            } catch {
                throw ClientError.verificationFailed("event \(position) is not included in the tree of \(receipt.treeSize): \(error)")
            }
            proven = expected
        }
        return proven ?? TreeHash(bytes: [UInt8](repeating: 0, count: 32))!
    }
}
