import AccordJSON
import EventStore
import Registry
import WireProtocol

extension Operations {
    /// `check` (admin): the whole store checked in one snapshot (`StoreCheck`),
    /// the checkpoint with the key that signs this server's checkpoints.
    func check() throws -> JSONValue {
        let keys = try checkpoints.latest().map { [$0.key] } ?? []
        let report = try StoreCheck(store: store, registry: registry).run(keys: keys)
        damage.record(report)
        return report.json
    }

    /// `rebuild` (admin): the projections folded anew from the log and
    /// stored, online. Appends wait while it runs (it holds the writer), so
    /// the fold is of exactly the log it replaces the projections of.
    func rebuild() throws -> JSONValue {
        let started = ContinuousClock.now
        let position = try registry.rebuildOnline(store)
        damage.projectionsRebuilt()
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        return ["position": .integer(Int64(position)), "seconds": .double(Double(seconds) + Double(attoseconds) / 1e18)]
    }
}
