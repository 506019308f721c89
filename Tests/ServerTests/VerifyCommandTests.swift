import AccordCore
import AccordJSON
import AccordTesting
import Checkpoints
import EventStore
import Foundation
import LMDB
import Registry
import Testing
import Transparency

/// `accord verify` over a data directory, as an auditor runs it on a backup.
@Suite struct VerifyCommandTests {
    let dir = TemporaryDirectory("verify")

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let result = try runAccord(arguments)
        return (result.status, result.stdout)
    }

    /// A data directory of `count` events with a stored checkpoint, as `accord serve` leaves it.
    func makeDataDirectory(events count: Int) async throws {
        let key = try SigningKeyFile.loadOrCreate(at: dir.child("checkpoint.key"), name: "test/accord")
        let env = try Environment(path: dir.path)
        let registry = try Registry(environment: env)
        let store = try EventStore(environment: env, hook: registry.hook)
        for n in 0..<count {
            let data = try CanonicalJSON(["n": .integer(Int64(n)), "note": "request seven"])
            try await store.append(to: StreamName("$s\(n % 5)"), events: [NewEvent(eventId: .timeOrdered(), type: "Noted", data: data)])
        }
        try Checkpointer(store: store, key: key).persist()
        store.close()
    }

    /// Changes one byte of the stored event at `position`, as someone with file access could.
    func tamper(position: UInt64) throws {
        let env = try Environment(path: dir.path)
        try env.write { txn in
            let events = try Database<UInt64, [UInt8]>.open("events", in: txn, create: false)!
            var record = try txn.get(events, position)!
            let byte = record.lastIndex(of: UInt8(ascii: "v"))!
            record[byte] = UInt8(ascii: "V")
            try txn.put(events, position, record)
        }
    }

    @Test func anIntactDirectoryPassesAndOneAlteredByteFailsAtItsPosition() async throws {
        try await makeDataDirectory(events: 80)
        let intact = try run(["verify", "--data", dir.path])
        #expect(intact.status == 0)
        #expect(intact.stdout.contains("checkpoint: test/accord at 80 events, signature and root verified"))
        #expect(intact.stdout.hasSuffix("PASSED\n"))

        try tamper(position: 37)
        let altered = try run(["verify", "--data", dir.path, "--json"])
        #expect(altered.status == 1)
        let report = try JSONParser.parse(Array(altered.stdout.utf8))
        #expect(report["passed"] == false)
        #expect(report["problemPosition"] == 37)
    }

    @Test func aCheckpointFromAnotherKeyFails() async throws {
        try await makeDataDirectory(events: 10)
        let stranger = try NoteSignerKey(name: "test/accord").verifier.text
        let result = try run(["verify", "--data", dir.path, "--key", stranger])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED      checkpoint"))
    }

    /// `--full` fetches every event the checkpoint covers and recomputes its root.
    @Test func aFullOnlineVerificationHashesEveryEvent() async throws {
        try await makeDataDirectory(events: 1_200)
        let server = try await ServerProcess.start(data: dir.path, ready: dir.child("ready"))
        defer { server.stop() }
        let key = try run(["key", "--data", dir.path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try run(["verify", "--server", "127.0.0.1:\(server.port)", "--key", key, "--full"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(
            result.stdout.contains("every event: all 1200 events fetched, hashed and found to make the signed root"), "\(result.stdout)")
    }
}
