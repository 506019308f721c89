import CommandSupport

/// What the Merkle tree costs in throughput: runs with and without it in
/// alternation, reported as medians, since on a noisy machine one pair of
/// runs can differ by a third.
struct TreeCost {
    private var withTree: [Double] = []
    private var withoutTree: [Double] = []
    private var ratios: [Double] = []

    /// Calls `rate(tree)` with the tree and then without it, `rounds` times.
    static func measure(rounds: Int, _ rate: (_ tree: Bool) async throws -> Double) async rethrows -> TreeCost {
        var cost = TreeCost()
        for _ in 0..<max(1, rounds) {
            let with = try await rate(true)
            let without = try await rate(false)
            cost.withTree.append(with)
            cost.withoutTree.append(without)
            cost.ratios.append(with / without)
        }
        return cost
    }

    /// The report's fields after `count` (the appenders or connections).
    func fields(_ name: String, _ count: Int) -> KeyValuePairs<String, String> {
        [
            name: "\(count)", "with_tree": fmt(Self.median(withTree)), "without_tree": fmt(Self.median(withoutTree)),
            "cost_pct": fmt(max(0, 1 - Self.median(ratios)) * 100, 1), "rounds": "\(ratios.count)",
        ]
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
