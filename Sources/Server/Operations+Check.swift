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

    /// `fence` (admin, or the promoted replica): a primary of `epoch` took
    /// over; from now on this server takes no writes, restarts included.
    func fence(epoch: UInt64, primary: String?, reason: String?) throws -> JSONValue {
        guard try self.fence.fence(epoch: epoch, primary: primary, reason: reason ?? "fenced by a promotion") else {
            throw WireError(
                .badRequest, "epoch \(epoch) is not newer than this server's \(self.fence.epoch): nothing to fence",
                details: ["field": "epoch"])
        }
        return ["fenced": true, "epoch": .integer(Int64(epoch))]
    }
}
