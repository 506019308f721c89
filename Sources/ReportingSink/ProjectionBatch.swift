import AccordClient
import AccordCore
import AccordJSON

/// Rows of the register and statistics changed up to a position, waiting
/// for one transaction. A row changed twice in a batch is written once, as
/// it last stood.
struct ProjectionBatch: Sendable {
    private(set) var register: [String: JSONValue] = [:]
    private(set) var statistics: [String: JSONValue] = [:]
    /// The position every row so far reflects, once the watch has said so.
    var mark: WatchProgress?

    var rowCount: Int { register.count + statistics.count }

    mutating func add(_ row: JSONValue, projection: String?) {
        if projection == WatchedProjection.lawEnforcementStats.name {
            let key = ["periodKind", "period", "requesterType"].map { row[$0]?.stringValue ?? "" }.joined(separator: "|")
            statistics[key] = row
        } else if let reference = row["reference"]?.stringValue {
            register[reference] = row
        }
    }

    var registerJSON: String { JSONValue.array(Array(register.values)).canonicalString }
    var statisticsJSON: String { JSONValue.array(Array(statistics.values)).canonicalString }
}
