import AccordTesting
import Foundation
import LMDB
import Testing

/// The wrapper's safety rules that the type system cannot express alone.
@Suite struct SafetyTests {
    let dir = TemporaryDirectory("lmdb-safety")

    @Test func aDirectoryOpensOncePerProcess() throws {
        let env = try Environment(path: dir.path)
        #expect(throws: LMDBError.alreadyOpen(dir.path)) { try Environment(path: dir.path) }
        // The same directory by another spelling of its path is the same directory.
        #expect(throws: LMDBError.self) { try Environment(path: dir.path + "/.") }
        withExtendedLifetime(env) {}
    }

    @Test func aClosedDirectoryOpensAgain() throws {
        do { _ = try Environment(path: dir.path) }
        _ = try Environment(path: dir.path)
    }

    @Test func bytesInTheMapAreLentToAClosureOnly() throws {
        let env = try Environment(path: dir.path)
        let db = try env.write { try Database<String, [UInt8]>.open("kv", in: $0, create: true)! }
        try env.write { try $0.put(db, "k", [1, 2, 3]) }
        let sum = try env.read { txn in try txn.withValue(db, "k") { bytes in bytes.reduce(0) { $0 + Int($1) } } }
        #expect(sum == 6)
        #expect(try env.read { try $0.withValue(db, "missing") { _ in 1 } } == nil)
        #expect(try env.read { try $0.contains(db, "k") })
        let keys = try env.read { txn in
            try txn.withCursor(db) { cursor in try cursor.first { key, _ in String(decoding: key, as: UTF8.self) } }
        }
        #expect(keys == "k")
    }

    @Test func aDatabaseUsedWithAnotherEnvironmentStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            let first = TemporaryDirectory("lmdb-first")
            let second = TemporaryDirectory("lmdb-second")
            let one = try Environment(path: first.path)
            let other = try Environment(path: second.path)
            let db = try one.write { try Database<String, String>.open("kv", in: $0, create: true)! }
            _ = try other.write { try Database<String, String>.open("kv", in: $0, create: true)! }
            try other.write { try $0.put(db, "a", "b") }
        }
    }
}
