import AccordCore
import AccordJSON
import Checkpoints
import EventStore
import Merkle
import WireProtocol

extension Operations {
    /// `checkpoint`: the committed log's signed tree head, with every
    /// signing-key rotation (the `$keys` events, which a client proves
    /// included like any other) so an auditor can follow the chain of keys.
    /// With `size`, the checkpoint of exactly that many events
    /// (`CheckpointSource.text(ofSize:)`).
    func checkpoint(size: UInt64? = nil) throws -> JSONValue {
        guard let (latest, key) = try checkpoints.latest() else {
            throw WireError(.unavailable, "this replica has not yet verified a checkpoint of its primary")
        }
        var signed = (text: latest.text, checkpoint: latest.checkpoint)
        if let size, size != latest.checkpoint.size {
            try Self.notPastHead(size, member: "treeSize", head: store.head)
            guard let text = try checkpoints.text(ofSize: size) else {
                throw WireError(
                    .notFound,
                    "no checkpoint of \(size) events is stored, and this server cannot sign one (a replica, or the signing key rotated since)",
                    details: ["field": "treeSize"])
            }
            signed = (text, try SignedCheckpoint.unverified(text: text))
        }
        return [
            "checkpoint": .string(signed.text), "origin": .string(signed.checkpoint.origin),
            "treeSize": .integer(Int64(signed.checkpoint.size)), "root": .string(signed.checkpoint.root.base64),
            "key": .string(key.text),
            "keyRotations": .array(try checkpoints.keyRotations().map { try JSONParser.parse($0.event.jsonBytes) }),
        ]
    }

    /// `prove_inclusion`: `position`, `treeSize` (default: the head) → audit path.
    func proveInclusion(_ position: Position, treeSize: UInt64?) throws -> JSONValue {
        let head = store.head
        if let treeSize { try Self.notPastHead(treeSize, member: "treeSize", head: head) }
        let treeSize = treeSize ?? head
        try Self.notPastHead(position, member: "position", head: head &- 1)
        guard position < treeSize else {
            throw WireError.badRequest("position \(position) is not in a tree of \(treeSize) events", field: "position")
        }
        let proof = try store.inclusionProof(position: position, treeSize: treeSize)
        return [
            "position": .integer(Int64(position)), "treeSize": .integer(Int64(treeSize)),
            "leafHash": .string(proof.leaf.base64), "root": .string(proof.root.base64),
            "path": .array(proof.path.map { .string($0.base64) }),
        ]
    }

    /// `prove_consistency`: `oldSize`, `newSize` (default: the head) → proof.
    func proveConsistency(_ oldSize: UInt64, newSize: UInt64?) throws -> JSONValue {
        let head = store.head
        if let newSize { try Self.notPastHead(newSize, member: "newSize", head: head) }
        try Self.notPastHead(oldSize, member: "oldSize", head: head)
        let newSize = newSize ?? head
        guard oldSize <= newSize else {
            throw WireError.badRequest("oldSize \(oldSize) is larger than newSize \(newSize)", field: "oldSize")
        }
        let proof = try store.consistencyProof(oldSize: oldSize, newSize: newSize)
        return [
            "oldSize": .integer(Int64(oldSize)), "newSize": .integer(Int64(newSize)),
            "oldRoot": .string(proof.oldRoot.base64), "newRoot": .string(proof.newRoot.base64),
            "path": .array(proof.path.map { .string($0.base64) }),
        ]
    }
}

extension Operations {
    /// `gateways`: the legal gateway catalogue this server validates reviews against.
    func gateways() throws -> JSONValue {
        let catalogue = registry.rules.gateways
        return [
            "version": .integer(Int64(catalogue.version)), "reviewed": .string(catalogue.reviewed.description),
            "gateways": try encode(catalogue.gateways),
        ]
    }
}
