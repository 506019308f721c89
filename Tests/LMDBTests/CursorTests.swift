import AccordTesting
import LMDB
import Testing

@Suite struct CursorTests {
    let dir = TemporaryDirectory("cursor")

    func filled() throws -> (Environment, Database<UInt64, UInt64>) {
        let env = try Environment(path: dir.path)
        let db = try env.write { try Database<UInt64, UInt64>.open("n", in: $0, create: true)! }
        try env.write { txn throws in
            for i: UInt64 in stride(from: 0, to: 100, by: 10) { try txn.put(db, i, i * 2) }
        }
        return (env, db)
    }

    func keys(
        _ env: Environment, _ db: Database<UInt64, UInt64>, from: UInt64?, _ direction: ScanDirection, limit: Int = 100
    ) throws -> [UInt64] {
        var out: [UInt64] = []
        try env.read { txn throws in
            try txn.scan(db, from: from, direction: direction) { key, value throws in
                #expect(value == key * 2)
                out.append(key)
                return out.count < limit
            }
        }
        return out
    }

    @Test func bigEndianKeysScanInNumericOrder() throws {
        let (env, db) = try filled()
        #expect(try keys(env, db, from: nil, .forward) == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90])
        #expect(try keys(env, db, from: nil, .backward) == [90, 80, 70, 60, 50, 40, 30, 20, 10, 0])
    }

    @Test func forwardScanStartsAtTheFirstKeyAtLeastTheStart() throws {
        let (env, db) = try filled()
        #expect(try keys(env, db, from: 35, .forward, limit: 3) == [40, 50, 60])
        #expect(try keys(env, db, from: 40, .forward, limit: 2) == [40, 50])
        #expect(try keys(env, db, from: 95, .forward) == [])
    }

    @Test func backwardScanStartsAtTheLastKeyAtMostTheStart() throws {
        let (env, db) = try filled()
        #expect(try keys(env, db, from: 35, .backward, limit: 3) == [30, 20, 10])
        #expect(try keys(env, db, from: 40, .backward, limit: 2) == [40, 30])
        #expect(try keys(env, db, from: 1_000, .backward, limit: 1) == [90])
    }

    @Test func lastEntry() throws {
        let (env, db) = try filled()
        try env.read { txn throws in
            let last = try txn.last(db)
            #expect(last?.0 == 90)
            #expect(last?.1 == 180)
        }
    }
}
