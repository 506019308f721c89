import LMDB

/// The ceiling: synced LMDB transactions of `batch` sequential puts, nothing else.
struct RawLMDBBench {
    let path: String
    let valueSize: Int
    let batch: Int

    /// The median time of one synced commit (for comparing a single client's latency).
    func medianCommit(seconds: Double) throws -> Double {
        let env = try Environment(path: path, options: .bench)
        let db = try env.write { try Database<UInt64, [UInt8]>.open("raw", in: $0, create: true)! }
        let value = [UInt8](repeating: 0x61, count: valueSize)
        var key: UInt64 = 0
        var times: [Double] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let t0 = ContinuousClock.now
            try env.write { txn in
                for _ in 0..<batch {
                    try txn.put(db, key, value, append: true)
                    key += 1
                }
            }
            times.append((ContinuousClock.now - t0).seconds)
        }
        return times.sorted().percentile(0.5)
    }

    func run(seconds: Double) throws -> Double {
        let env = try Environment(path: path, options: .bench)
        let db = try env.write { try Database<UInt64, [UInt8]>.open("raw", in: $0, create: true)! }
        let value = [UInt8](repeating: 0x61, count: valueSize)
        var key: UInt64 = 0
        let start = ContinuousClock.now
        let deadline = start + .seconds(seconds)
        while ContinuousClock.now < deadline {
            try env.write { txn in
                for _ in 0..<batch {
                    try txn.put(db, key, value, append: true)
                    key += 1
                }
            }
        }
        return Double(key) / (ContinuousClock.now - start).seconds
    }
}
