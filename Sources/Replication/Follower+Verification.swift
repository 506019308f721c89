import AccordClient
import Checkpoints
import Merkle
import Transparency

extension Follower {
    /// Checks a signed tree head from the primary: its signature by the
    /// trusted key (or one the log's rotations reach from it), the log's
    /// origin, that it is no smaller than what this replica verified or
    /// copied, and a consistency proof from the last verified checkpoint.
    /// Once the copy has reached its size, the roots must be equal.
    func consider(_ head: SignedTreeHead, client: AccordClient, first: Bool) async throws {
        let (signed, key) = try checkSignature(head)
        let copied = store.head
        let epoch = try Epoch.at(size: copied, in: store)
        guard signed.checkpoint.effectiveEpoch >= epoch else {
            throw ReplicationError.diverged(
                "the primary signs epoch \(signed.checkpoint.effectiveEpoch), older than this replica's \(epoch): a promotion superseded it; "
                    + "follow the newer primary")
        }
        let verified = progress.withLock { $0.verified }
        if first, head.treeSize < copied {
            throw ReplicationError.diverged(
                "the primary has \(head.treeSize) events, fewer than the \(copied) this replica copied: it lost or rewrote history")
        }
        if let verified {
            guard head.treeSize >= verified.size else {
                throw ReplicationError.diverged(
                    "the primary signed a tree of \(head.treeSize) events after one of \(verified.size) this replica verified")
            }
            if head.treeSize == verified.size, head.root != verified.root {
                throw ReplicationError.diverged("the primary signed two roots for a tree of \(head.treeSize) events")
            }
            if head.treeSize > verified.size {
                let proof = try await client.consistencyProof(oldSize: verified.size, newSize: head.treeSize)
                do {
                    try ProofVerifier.verifyConsistency(
                        oldSize: verified.size, newSize: head.treeSize, oldRoot: verified.root, newRoot: head.root, proof: proof.path)
                } catch {
                    throw ReplicationError.diverged(
                        "the primary's tree of \(head.treeSize) events is not an extension of the verified tree of \(verified.size): \(error)"
                    )
                }
            }
        }
        progress.withLock { state in
            state.primaryHead = max(state.primaryHead, head.treeSize)
            if head.treeSize > state.pending?.checkpoint.checkpoint.size ?? 0 { state.pending = (signed, key) }
        }
        if head.treeSize <= store.head { try verifyRoot(signed, key: key) }
    }

    /// Compares this replica's root at the checkpoint's size with the
    /// checkpoint's, and keeps the checkpoint as verified when they agree.
    func verifyRoot(_ signed: SignedCheckpoint, key: NoteVerifierKey) throws {
        let size = signed.checkpoint.size
        let root = try store.root(size: size)
        guard root == signed.checkpoint.root else {
            throw ReplicationError.diverged(
                "this replica's root at \(size) events is \(root.base64), but the primary signed \(signed.checkpoint.root.base64)")
        }
        try checkpoints.record(signed, key: key)
        progress.withLock { state in
            if size >= state.verified?.size ?? 0 { state.verified = signed.checkpoint }
            if let pending = state.pending, pending.checkpoint.checkpoint.size <= size { state.pending = nil }
        }
        metrics.verifiedSize.record(Int64(size))
    }

    /// The checkpoint, verified as signed by the key the replica trusts or
    /// one the log's recorded rotations reach from it.
    private func checkSignature(_ head: SignedTreeHead) throws -> (SignedCheckpoint, NoteVerifierKey) {
        var marker = progress.withLock { $0.marker }
        if let origin = marker.origin, origin != head.origin {
            throw ReplicationError.diverged("the primary now serves the log \(head.origin), not \(origin), the log this replica copies")
        }
        let trusted: NoteVerifierKey
        do {
            trusted = try configuration.trustedKey ?? NoteVerifierKey(text: marker.key ?? head.key)
        } catch {
            throw ReplicationError.configuration("the primary's verifier key \(marker.key ?? head.key) does not parse: \(error)")
        }
        let chain: KeyChain
        do {
            chain = try KeyChain(events: head.keyRotations)
        } catch {
            throw ReplicationError.diverged("the primary's key rotations do not parse: \(error)")
        }
        let trust = chain.trust(startingFrom: [trusted])
        if let problem = trust.problem { throw ReplicationError.diverged(problem) }
        let signer = chain.signer(forSize: head.treeSize) ?? trusted
        guard trust.keys.contains(signer) else {
            throw ReplicationError.diverged(
                "the checkpoint of \(head.treeSize) events is signed by \(signer.text), a key no trusted key reaches")
        }
        let signed: SignedCheckpoint
        do {
            signed = try SignedCheckpoint(text: head.text, verifiedBy: signer, origin: marker.origin ?? head.origin)
        } catch {
            throw ReplicationError.diverged("the checkpoint of \(head.treeSize) events does not verify with \(signer.text): \(error)")
        }
        if marker.origin == nil || marker.key == nil {
            if configuration.trustedKey == nil {
                logger.notice(
                    "replication: trusting the primary's checkpoint key on first use; pin it with --follow-key",
                    metadata: ["key": "\(trusted.text)"])
            }
            marker.origin = head.origin
            marker.key = trusted.text
            try marker.save(in: configuration.dataDirectory)
            progress.withLock { [marker] in $0.marker = marker }
        }
        return (signed, signer)
    }
}
