import AccordCore
import AccordJSON
import EventStore
import Foundation
import LMDB
import Merkle
import Testing

/// The Merkle tree the store keeps over its log.
@Suite struct MerkleLogTests {
    let fixture = Fixture()

    /// The root an independent client computes from what reads return.
    static func clientRoot(_ events: [RecordedEvent]) -> TreeHash {
        var range = CompactRange()
        for event in events { range.append(RFC6962.leafHash(event.jsonBytes)) { _, _, _ in } }
        return range.root
    }

    @Test func concurrentAppendsKeepATreeThatClientsCanRecompute() async throws {
        let store = try fixture.store()
        // Enough appenders that commits hold 64 leaves and more, which are
        // grown beside the writer (`TreeGrower`).
        let receipts = try await withThrowingTaskGroup(of: [AppendResult].self) { group in
            for task in 0..<48 {
                group.addTask {
                    var mine: [AppendResult] = []
                    for _ in 0..<10 {
                        mine.append(try await store.append(to: stream("S-\(task)"), events: [event(), event("Other", ["n": 1])]))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let events = try store.readAll(limit: 10_000)
        #expect(events.count == 960)
        let head = try store.treeHead()
        #expect(head.size == 960)
        #expect(head.root == Self.clientRoot(events))
        for receipt in receipts {
            #expect(receipt.leafHashes == receipt.positions.map { RFC6962.leafHash(events[Int($0)].jsonBytes) })
            #expect(receipt.treeSize >= receipt.positions.upperBound)
            let root = try store.root(size: receipt.treeSize)
            #expect(root == Self.clientRoot(Array(events.prefix(Int(receipt.treeSize)))))
            for (position, leaf) in zip(receipt.positions, receipt.leafHashes) {
                let proof = try store.inclusionProof(position: position, treeSize: receipt.treeSize)
                try ProofVerifier.verifyInclusion(leaf: leaf, index: position, size: receipt.treeSize, proof: proof.path, root: root)
            }
        }
        let report = try store.read { try LogVerifier(store: store).verify(in: $0) }
        #expect(report.problem == nil && report.root == head.root && report.eventsChecked == 960)
    }

    @Test(arguments: [false, true]) func rejectedRequestsInABatchLeaveTheTreeWhole(decidesBeforeWriting: Bool) async throws {
        let store = try fixture.store(hook: RejectingHook(decidesBeforeWriting: decidesBeforeWriting))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<32 {
                group.addTask {
                    _ = try? await store.append(to: stream("S-\(task % 4)"), events: [event("Noted", ["reject": .bool(task % 3 == 0)])])
                    _ = try? await store.append(to: stream("S-\(task % 4)"), expected: .exact(999), events: [event()])
                }
            }
            try await group.waitForAll()
        }
        let report = try store.read { try LogVerifier(store: store).verify(in: $0) }
        #expect(report.problem == nil)
        #expect(report.root == Self.clientRoot(try store.readAll(limit: 1_000)))
    }

    @Test func retriesInTheSameCommitGetTheOriginalLeafHashes() async throws {
        let store = try fixture.store()
        let originals = (0..<100).map { _ in event() }
        let receipts = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for (index, original) in originals.enumerated() {
                for _ in 0..<2 { group.addTask { try await store.append(to: stream("R-\(index)"), events: [original]) } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let events = try store.readAll(limit: 1_000)
        #expect(events.count == 100)
        #expect(receipts.filter(\.wasDuplicate).count == 100)
        for receipt in receipts {
            #expect(receipt.leafHashes == receipt.positions.map { RFC6962.leafHash(events[Int($0)].jsonBytes) })
        }
    }

    @Test func aRetryGetsTheOriginalReceipt() async throws {
        let store = try fixture.store()
        let retried = event()
        let first = try await store.append(to: stream("A"), events: [retried])
        try await store.append(to: stream("B"), events: [event()])
        let again = try await store.append(to: stream("A"), events: [retried])
        #expect(again.wasDuplicate && again.leafHashes == first.leafHashes && again.treeSize == 2)
    }

    @Test func anOldTreeIsConsistentWithEveryLaterOne() async throws {
        let store = try fixture.store()
        for _ in 0..<13 { try await store.append(to: stream("A"), events: [event()]) }
        let old = try store.treeHead()
        for n in 0..<50 {
            try await store.append(to: stream("B"), events: [event("Noted", ["n": .integer(Int64(n))])])
            let new = try store.treeHead()
            let proof = try store.consistencyProof(oldSize: old.size, newSize: new.size)
            #expect(proof.oldRoot == old.root && proof.newRoot == new.root)
            try ProofVerifier.verifyConsistency(
                oldSize: old.size, newSize: new.size, oldRoot: old.root, newRoot: new.root, proof: proof.path)
        }
        #expect(throws: EventStoreError.self) { try store.consistencyProof(oldSize: 1, newSize: 64) }
    }

    @Test func oneAlteredByteIsFoundAtItsPosition() async throws {
        let store = try fixture.store()
        for n in 0..<300 { try await store.append(to: stream("S-\(n % 7)"), events: [event("Noted", ["n": .integer(Int64(n))])]) }
        // Change one byte of event 137's data, as someone with file access could.
        try store.environment.write { txn in
            let events = try Database<UInt64, [UInt8]>.open("events", in: txn, create: false)!
            var record = try txn.get(events, 137)!
            let digit = record.lastIndex(of: UInt8(ascii: "7"))!
            record[digit] = UInt8(ascii: "8")
            try txn.put(events, 137, record)
        }
        let report = try store.read { try LogVerifier(store: store).verify(in: $0) }
        #expect(report.problem?.position == 137)
        guard case .leafMismatch = report.problem else {
            Issue.record("expected a leaf mismatch, got \(String(describing: report.problem))")
            return
        }
    }

    @Test func aFormatOneLogGetsItsTreeOnOpen() async throws {
        var expected: TreeHash
        do {
            let store = try fixture.store()
            for n in 0..<100 { try await store.append(to: stream("S-\(n % 3)"), events: [event()]) }
            expected = try store.treeHead().root
            // Make it look like a log written before the tree existed.
            try store.environment.write { txn in
                try txn.clear(Database<UInt64, [UInt8]>.open("merkle", in: txn, create: false)!)
                try txn.put(Database<String, UInt64>.open("meta", in: txn, create: false)!, "format", 1)
            }
            store.close()
        }
        let reopened = try fixture.store()
        #expect(try reopened.treeHead().root == expected)
        try await reopened.append(to: stream("S-0"), events: [event()])
        #expect(try reopened.read { try LogVerifier(store: reopened).verify(in: $0) }.problem == nil)
    }

    @Test func aFormatTwoLogKeepsItsStreamsAndWritesThemCompactly() async throws {
        do {
            let store = try fixture.store()
            for n in 0..<10 { try await store.append(to: stream("S-\(n % 2)"), events: [event()]) }
            // S-0 holds versions 0–4 at positions 0, 2, …, 8; write its entry as format 2 did,
            // with a summary, and give S-1 a last position format 2 would have written as 9.
            try store.environment.write { txn in
                let streams = try Database<String, [UInt8]>.open("streams", in: txn, create: false)!
                try txn.put(streams, "S-0", [0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 8] + [7, 7, 7])
                try txn.put(streams, "S-1", [0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 9])
                try txn.put(Database<String, UInt64>.open("meta", in: txn, create: false)!, "format", 2)
            }
            store.close()
        }
        let reopened = try fixture.store()
        let (format, info) = try reopened.read { txn in
            (
                try txn.get(Database<String, UInt64>.open("meta", in: txn, create: false)!, "format"),
                try reopened.log.streamState("S-0", in: txn)
            )
        }
        #expect(format == 4)
        #expect(try reopened.streamVersion(stream("S-1")) == 4)
        #expect(info?.version == 4 && info?.position == 8 && info?.summary == [7, 7, 7])
        #expect(try reopened.readStream(stream("S-0")).map(\.position) == [0, 2, 4, 6, 8])
        let result = try await reopened.append(to: stream("S-0"), expected: .exact(4), events: [event()])
        #expect(result.streamVersion == 5)
        let raw = try reopened.read { txn in try txn.get(Database<String, [UInt8]>.open("streams", in: txn, create: false)!, "S-0") }
        // 0x01, version 5, position 10, and the summary the store keeps when a hook returns none.
        #expect(raw == [1, 5, 10, 7, 7, 7])
        #expect(try reopened.read { try LogVerifier(store: reopened).verify(in: $0) }.problem == nil)
    }

    /// A benchmark's log (`accord bench … --tree-cost`): appends work, every
    /// tree question is refused, and the log never gets a tree later.
    @Test func aLogWithoutItsTreeRefusesProofsAndStaysWithout() async throws {
        do {
            let store = try EventStore(environment: fixture.environment(), merkleTree: false)
            #expect(!store.hasMerkleTree)
            let result = try await store.append(to: stream("S"), events: [event(), event()])
            #expect(result.positions == 0..<2 && result.leafHashes.isEmpty)
            #expect(throws: EventStoreError.self) { try store.treeHead() }
            #expect(throws: EventStoreError.self) { try store.root(size: 1) }
            #expect(throws: EventStoreError.self) { try store.inclusionProof(position: 0, treeSize: 2) }
            #expect(throws: EventStoreError.self) { try store.consistencyProof(oldSize: 1, newSize: 2) }
            store.close()
        }
        #expect(throws: EventStoreError.self) { try EventStore(environment: fixture.environment()) }
    }
}
