import AccordJSON
import EventStore
import Merkle
import WireProtocol

extension Operations {
    /// `checkpoint`: the committed log's signed tree head.
    func checkpoint() throws -> JSONValue {
        let signed = try checkpointer.current()
        return [
            "checkpoint": .string(signed.text), "origin": .string(signed.checkpoint.origin),
            "treeSize": .integer(Int64(signed.checkpoint.size)), "root": .string(signed.checkpoint.root.base64),
            "key": .string(checkpointer.key.verifier.text),
        ]
    }

    /// `prove_inclusion`: `position`, `treeSize` (default: the head) → audit path.
    func proveInclusion(_ request: Request) throws -> JSONValue {
        let position = try request.requiredPosition("position")
        let treeSize = try request.optionalInt("treeSize").map { UInt64($0) } ?? store.head
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
    func proveConsistency(_ request: Request) throws -> JSONValue {
        let oldSize = try request.requiredPosition("oldSize")
        let newSize = try request.optionalInt("newSize").map { UInt64($0) } ?? store.head
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

extension Request {
    func requiredPosition(_ name: String) throws(WireError) -> UInt64 {
        guard let value = try optionalInt(name) else { throw .badRequest("\(name) is required: a non-negative integer", field: name) }
        return UInt64(value)
    }
}
