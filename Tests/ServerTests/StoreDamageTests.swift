import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// What an operator's trial saw go unreported, on copies of a real data
/// directory: a byte changed inside a stored event, in an index page of the
/// log, and in the register's pages. Each is found (`accord check` exits 1
/// naming it, the server says `damaged`), none is served as healthy, and
/// readers fail loudly rather than skip or repeat.
@Suite struct StoreDamageTests {
    /// A data directory of 60 agreements under the police, each with ten
    /// law-enforcement requests (780 events, several pages of the log), by a
    /// real server stopped cleanly (so it holds a signed checkpoint of every event).
    static func original(_ dir: TemporaryDirectory) async throws -> String {
        let data = dir.child("original")
        let server = try await ServerProcess.start(data: data, ready: dir.child("original-ready"))
        try await AccordClient.connect(ClientConfiguration(port: server.port)) { client in
            for n in 0..<60 {
                var events = [
                    Requests.event("AgreementProposed", Requests.proposal), Requests.event("LegalReviewCompleted", Requests.review),
                    Requests.event("AgreementApproved", Requests.approval),
                ]
                for day in 1...10 {
                    guard case .object(var access) = Requests.access(String(format: "2025-03-%02d", day)) else { continue }
                    access["subjectsRequested"] = 3
                    access["subjectsMatched"] = 2
                    access["subjectsDisclosed"] = 2
                    events.append(Requests.event("LawEnforcementAccessRecorded", .object(access)))
                }
                try await client.request("append", ["agreementId": .string(String(format: "DSA-%05d", n)), "events": .array(events)])
            }
        }
        #expect(server.stop() == 0)
        return data
    }

    /// A copy of `original` with `change` applied to its data.mdb.
    static func damagedCopy(
        of original: String, in dir: TemporaryDirectory, named name: String, _ change: (inout [UInt8]) throws -> Void
    )
        throws -> String
    {
        let copy = dir.child(name)
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for file in ["data.mdb", "checkpoint.key"] {
            try FileManager.default.copyItem(atPath: original + "/" + file, toPath: copy + "/" + file)
        }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: copy + "/data.mdb")))
        try change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: copy + "/data.mdb"))
        return copy
    }

    static func check(_ data: String) throws -> (status: Int32, stdout: String) {
        let result = try runAccord(["check", "--data", data])
        return (result.status, result.stdout)
    }

    /// The server's health once its start check and first scrub pass have run.
    static func health(_ port: Int) async throws -> JSONValue {
        var health: JSONValue = .null
        for _ in 0..<200 {
            health = try await AccordClient.connect(ClientConfiguration(port: port)) { try await $0.request("health") }
            if health["status"] == "damaged" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return health
    }

    @Test func aChangedByteInAStoredEventIsFound() async throws {
        let dir = TemporaryDirectory("damage-event")
        let original = try await Self.original(dir)
        #expect(try Self.check(original).status == 0, "the original is whole")
        let copy = try Self.damagedCopy(of: original, in: dir, named: "copy") { bytes in
            // Every copy of the page LMDB still holds, live and stale: one event's bytes, as a disk could change them.
            let needle = Array(#""subjectsDisclosed":2,"subjectsMatched":2,"subjectsRequested":3}"#.utf8)
            let found = LMDBFile.findAll(needle, in: bytes)
            try #require(!found.isEmpty)
            for at in found { bytes[at + 20] = UInt8(ascii: "7") }
        }
        let (status, output) = try Self.check(copy)
        #expect(status == 1)
        #expect(output.contains("DAMAGED") && output.contains("the event or its leaf was altered"), "\(output)")
        let server = try await ServerProcess.start(data: copy, ready: dir.child("copy-ready"))
        defer { server.stop() }
        let health = try await Self.health(server.port)
        #expect(health["status"] == "damaged", "\(health.canonicalString)")
        #expect(try runAccord(["health", "--server", "127.0.0.1:\(server.port)"]).status == 1)
    }

    @Test func aChangedByteInAnIndexPageOfTheLogIsFoundAndReadersFailLoudly() async throws {
        let dir = TemporaryDirectory("damage-index")
        let original = try await Self.original(dir)
        let copy = try Self.damagedCopy(of: original, in: dir, named: "copy") { bytes in
            try LMDBFile.zeroFirstSeparator(ofDatabase: "events", in: &bytes)
        }
        let (status, output) = try Self.check(copy)
        #expect(status == 1)
        #expect(output.contains("DAMAGED"), "\(output)")
        // A seek goes through the damaged separator; a plain walk of the leaves does not, and prints every event, rightly.
        let dump = try runAccord(["dump", "--data", copy, "--from", "0"])
        #expect(dump.status == 1, "dump must stop at the damage: \(dump.stderr)")
        #expect(dump.stderr.contains("damaged"))
        let server = try await ServerProcess.start(data: copy, ready: dir.child("copy-ready"))
        defer { server.stop() }
        #expect(try await Self.health(server.port)["status"] == "damaged")
        // Never a silently wrong answer: a read from the start fails, naming the damage.
        do {
            _ = try await AccordClient.connect(ClientConfiguration(port: server.port)) { try await $0.request("read_all", ["from": 0]) }
            Issue.record("read_all answered over a damaged index")
        } catch ClientError.server(let code, _, _) {
            #expect(code == .damaged)
        }
        let replay = try runAccord(["replay", "--server", "127.0.0.1:\(server.port)"])
        #expect(replay.status == 1, "replay must fail loudly: \(replay.stderr)")
        let tail = try runAccord(["tail", "--from", "start", "--server", "127.0.0.1:\(server.port)"])
        #expect(tail.status == 1, "tail must stop at the damage, loudly: \(tail.stderr)")
        #expect(tail.stderr.contains("damaged"))
    }

    @Test func aChangedByteInTheRegistersPagesIsFoundAndMendedOnline() async throws {
        let dir = TemporaryDirectory("damage-register")
        let original = try await Self.original(dir)
        let copy = try Self.damagedCopy(of: original, in: dir, named: "copy") { bytes in
            // The agreements table: a key followed by its row's JSON.
            let needle = Array(#"DSA-00042{"accessRoute""#.utf8)
            let found = LMDBFile.findAll(needle, in: bytes)
            try #require(!found.isEmpty)
            for at in found { bytes[at + 8] = UInt8(ascii: "X") }
        }
        let (status, output) = try Self.check(copy)
        #expect(status == 1)
        #expect(output.contains("projection agreements: DSA-00042: missing"), "\(output)")
        let server = try await ServerProcess.start(data: copy, ready: dir.child("copy-ready"))
        defer { server.stop() }
        #expect(try await Self.health(server.port)["status"] == "damaged")
        try await AccordClient.connect(ClientConfiguration(port: server.port)) { client in
            let report = try await client.request("check")
            #expect(report["damaged"] == true)
            _ = try await client.request("rebuild")
            let after = try await client.request("check")
            #expect(after["damaged"] == false, "\(after.canonicalString)")
            #expect(try await client.request("health")["status"] == "ok")
            let rows = try await client.request("register")["rows"]?.arrayValue ?? []
            #expect(rows.count == 60)
        }
    }
}

/// Just enough of LMDB's file format to damage a copy on purpose: the meta
/// pages, the main database's named databases, and a branch page's nodes.
enum LMDBFile {
    static let pageSize = 4_096

    /// Where `needle` stands in the file, in every page that holds it (LMDB keeps earlier copies of pages).
    static func findAll(_ needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard needle.count <= bytes.count else { return [] }
        var found: [Int] = []
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<start + needle.count].elementsEqual(needle) { found.append(start) }
        }
        return found
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    static func u64(_ bytes: [UInt8], _ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }

    /// The root page and depth of the named database `name`, from the newest meta page.
    static func database(_ name: String, in bytes: [UInt8]) throws -> (root: Int, depth: Int) {
        // Meta: page header (16), magic (4), version (4), address (8), map size (8), then two MDB_db of 48 bytes, last page, txn id.
        let metas = [0, pageSize].map { page -> (txn: Int, mainRoot: Int, mainDepth: Int) in
            let meta = page + 16
            let main = meta + 24 + 48
            return (u64(bytes, main + 48 + 8), u64(bytes, main + 40), u16(bytes, main + 6))
        }
        let meta = metas[0].txn > metas[1].txn ? metas[0] : metas[1]
        var page = meta.mainRoot
        // Descend the main database (its keys are the names of the named databases).
        for _ in 1..<max(1, meta.mainDepth) { page = try child(of: page, in: bytes, for: name) }
        let offset = page * pageSize
        for index in 0..<(u16(bytes, offset + 12) - 16) / 2 {
            let node = offset + u16(bytes, offset + 16 + 2 * index)
            let keySize = u16(bytes, node + 6)
            guard String(decoding: bytes[node + 8..<node + 8 + keySize], as: UTF8.self) == name else { continue }
            let db = node + 8 + keySize
            return (u64(bytes, db + 40), u16(bytes, db + 6))
        }
        throw SocketError(message: "no database \(name) in the main database")
    }

    private static func child(of page: Int, in bytes: [UInt8], for name: String) throws -> Int {
        let offset = page * pageSize
        var chosen: Int?
        for index in 0..<(u16(bytes, offset + 12) - 16) / 2 {
            let node = offset + u16(bytes, offset + 16 + 2 * index)
            let keySize = u16(bytes, node + 6)
            let key = String(decoding: bytes[node + 8..<node + 8 + keySize], as: UTF8.self)
            if index == 0 || key <= name { chosen = u16(bytes, node) | u16(bytes, node + 2) << 16 | u16(bytes, node + 4) << 32 }
        }
        return try #require(chosen)
    }

    /// Sets to zero the key of the root branch page's second node (its
    /// first separator): lookups and seeks below it then go to the wrong child.
    static func zeroFirstSeparator(ofDatabase name: String, in bytes: inout [UInt8]) throws {
        let (root, depth) = try database(name, in: bytes)
        try #require(depth >= 2, "\(name) must be deeper than one page")
        let offset = root * pageSize
        let node = offset + u16(bytes, offset + 16 + 2)
        let keySize = u16(bytes, node + 6)
        for i in 0..<keySize { bytes[node + 8 + i] = 0 }
    }
}
