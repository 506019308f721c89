import AccordCore
import Transparency

/// Where a promotion is recorded: one `replica_promoted` event in the
/// reserved `$replication` stream, written by `accord promote` only, with
/// the former primary, the head at promotion and the last checkpoint the
/// replica verified from it (ops/replication.md).
public enum ReplicaPromotion {
    public static let stream = Epoch.stream
    public static let eventType = Epoch.promotionType
}
