import AccordTesting
import LMDB
import Testing

@Suite struct EnvironmentTests {
    let dir = TemporaryDirectory("lmdb")

    func open(mapSize: Int = 1 << 20, maxMapSize: Int = 1 << 30) throws -> Environment {
        var options = Environment.Options()
        options.mapSize = mapSize
        options.maxMapSize = maxMapSize
        return try Environment(path: dir.path, options: options)
    }

    @Test func writeCommitsOnReturnAndAbortsOnThrow() throws {
        let env = try open()
        let db = try env.write { try Database<String, String>.open("kv", in: $0, create: true)! }
        try env.write { try $0.put(db, "a", "1") }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try env.write { txn throws in
                try txn.put(db, "b", "2")
                throw Boom()
            }
        }
        try env.read { txn throws in
            #expect(try txn.get(db, "a") == "1")
            #expect(try txn.get(db, "b") == nil)
        }
    }

    @Test func nestedTransactionIsolatesAFailure() throws {
        let env = try open()
        let db = try env.write { try Database<UInt64, String>.open("n", in: $0, create: true)! }
        struct Rejected: Error {}
        try env.write { txn throws in
            try txn.nested { try $0.put(db, 1, "kept") }
            #expect(throws: Rejected.self) {
                try txn.nested { child throws in
                    try child.put(db, 2, "discarded")
                    #expect(try child.get(db, 1) == "kept")
                    throw Rejected()
                }
            }
            try txn.nested { try $0.put(db, 3, "kept too") }
        }
        try env.read { txn throws in
            #expect(try txn.get(db, 1) == "kept")
            #expect(try txn.get(db, 2) == nil)
            #expect(try txn.get(db, 3) == "kept too")
        }
    }

    @Test func writesInAReadTransactionAreRefused() throws {
        let env = try open()
        let db = try env.write { try Database<String, String>.open("kv", in: $0, create: true)! }
        #expect(throws: LMDBError.readOnlyTransaction) {
            try env.read { try $0.put(db, "a", "1") }
        }
    }

    @Test func missingDatabaseIsNilNotAnError() throws {
        let env = try open()
        let db = try env.read { try Database<String, String>.open("absent", in: $0, create: false) }
        #expect(db == nil)
    }

    @Test func noOverwriteReportsKeyExists() throws {
        let env = try open()
        let db = try env.write { try Database<String, String>.open("kv", in: $0, create: true)! }
        try env.write { try $0.put(db, "k", "v") }
        #expect(throws: LMDBError.keyExists) {
            try env.write { try $0.put(db, "k", "w", noOverwrite: true) }
        }
    }

    @Test func mapGrowsOnDemandAndKeepsData() throws {
        let env = try open(mapSize: 1 << 20, maxMapSize: 64 << 20)
        let db = try env.write { try Database<UInt64, [UInt8]>.open("big", in: $0, create: true)! }
        let value = [UInt8](repeating: 7, count: 4096)
        for batch in 0..<10 {
            try env.write { txn throws in
                for i in 0..<256 { try txn.put(db, UInt64(batch * 256 + i), value) }
            }
        }
        #expect(env.mapSize > 1 << 20)
        try env.read { txn throws in #expect(try txn.count(db) == 2560) }
    }

    /// `info()` and a pin read the meta pages through the map: from other
    /// threads, while the writer grows (remaps) it, they must wait, not
    /// read an unmapped page.
    @Test func infoAndPinsFromOtherThreadsAreSafeWhileTheMapGrows() async throws {
        let env = try open(mapSize: 1 << 20, maxMapSize: 256 << 20)
        let db = try env.write { try Database<UInt64, [UInt8]>.open("big", in: $0, create: true)! }
        let value = [UInt8](repeating: 7, count: 4096)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for batch in 0..<40 {
                    try env.write { txn throws in
                        for i in 0..<256 { try txn.put(db, UInt64(batch * 256 + i), value) }
                    }
                }
            }
            group.addTask {
                var last = 0
                while env.mapSize < 64 << 20 {
                    let pin = try env.pinSnapshot()
                    #expect(pin.transactionID >= last)
                    last = pin.transactionID
                    _ = env.info()
                }
            }
            try await group.waitForAll()
        }
        #expect(env.mapSize >= 64 << 20)
    }

    @Test func fullMapAtMaximumThrowsStorageFullAndReadsStillWork() throws {
        let env = try open(mapSize: 1 << 20, maxMapSize: 2 << 20)
        let db = try env.write { try Database<UInt64, [UInt8]>.open("big", in: $0, create: true)! }
        let value = [UInt8](repeating: 1, count: 4000)
        try env.write { try $0.put(db, 0, value) }
        var full: LMDBError?
        for batch in 1..<100 where full == nil {
            do {
                try env.write { txn throws in
                    for i in 0..<64 { try txn.put(db, UInt64(batch * 64 + i), value) }
                }
            } catch let error as LMDBError {
                full = error
            }
        }
        guard case .storageFull(let size)? = full else {
            Issue.record("expected storageFull, got \(String(describing: full))")
            return
        }
        #expect(size == 2 << 20)
        try env.read { txn throws in #expect(try txn.get(db, 0) == value) }
    }

    @Test func reopenKeepsCommittedData() throws {
        do {
            let env = try open()
            let db = try env.write { try Database<String, UInt64>.open("kv", in: $0, create: true)! }
            try env.write { try $0.put(db, "answer", 42) }
        }
        let env = try open()
        let db = try env.read { try Database<String, UInt64>.open("kv", in: $0, create: false)! }
        try env.read { txn throws in #expect(try txn.get(db, "answer") == 42) }
    }
}
