import AccordJSON
import Agreements
import EventStore
import LMDB

/// The projections' databases, beside the event log in the same environment.
///
/// | database               | key                                   | value |
/// |------------------------|---------------------------------------|-------|
/// | `agreements`           | agreement id, UTF-8                   | `Agreement`, canonical JSON, rewritten on lifecycle events |
/// | `agreement_activity`   | agreement id, UTF-8                   | `AgreementActivity` (overrides the JSON's counters) |
/// | `recipient_agreements` | recipient id ‖ 0x00 ‖ agreement id    | u64 0 |
/// | `le_statistics`        | `StatisticsKey` (5 bytes)             | `StatisticsCounters` |
/// | `projection_meta`      | `version`, `position`                 | u64 BE |
///
/// `position` is the log length the projections reflect; it moves in the same
/// transaction as the events, so it always equals the log's head once open.
struct RegistryLayout: Sendable {
    /// Bump when the projections' shape or meaning changes: the next start rebuilds.
    static let projectionVersion: UInt64 = 3

    let agreements: Database<String, [UInt8]>
    let activity: Database<String, AgreementActivity>
    let recipientAgreements: Database<String, UInt64>
    let statistics: Database<StatisticsKey, StatisticsCounters>
    let meta: Database<String, UInt64>

    static func open(_ env: Environment) throws -> RegistryLayout {
        let create = !env.options.readOnly
        func open(_ txn: Transaction) throws -> RegistryLayout {
            func db<K, V>(_ name: String) throws -> Database<K, V> {
                guard let db = try Database<K, V>.open(name, in: txn, create: create) else {
                    throw RegistryError.notBuilt
                }
                return db
            }
            return try RegistryLayout(
                agreements: db("agreements"), activity: db("agreement_activity"), recipientAgreements: db("recipient_agreements"),
                statistics: db("le_statistics"), meta: db("projection_meta"))
        }
        return create ? try env.write(open) : try env.read(open)
    }

    func agreement(_ id: String, in txn: Transaction) throws -> Agreement? {
        guard let bytes = try txn.get(agreements, id) else { return nil }
        return try agreement(json: bytes, in: txn)
    }

    func agreement(json: [UInt8], in txn: Transaction) throws -> Agreement {
        var agreement = try JSONValueDecoder().decode(Agreement.self, from: json)
        try txn.get(activity, agreement.id)?.apply(to: &agreement)
        return agreement
    }

    /// Stores `agreement`: its activity always, its JSON only when `lifecycle`
    /// (anything beyond version, position and request counts) changed.
    func put(_ agreement: Agreement, lifecycle: Bool, in txn: Transaction) throws {
        if lifecycle { try txn.put(agreements, agreement.id, try JSONValueEncoder().encode(agreement).canonicalBytes) }
        try txn.put(activity, agreement.id, AgreementActivity(agreement))
    }

    func statisticsRow(_ key: LawEnforcementStatistics.Key, in txn: Transaction) throws -> LawEnforcementStatistics.Row? {
        try txn.get(statistics, StatisticsKey(key))?.row(for: key)
    }

    func put(_ row: LawEnforcementStatistics.Row, at key: LawEnforcementStatistics.Key, in txn: Transaction) throws {
        try txn.put(statistics, StatisticsKey(key), StatisticsCounters(row))
    }

    static func recipientKey(_ recipientId: String, _ agreementId: String) -> String {
        recipientId + "\u{0}" + agreementId
    }
}

/// Why a registry call failed.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data directory has no projections yet (open it writable once).
    case notBuilt
    /// A query named something that does not exist.
    case notFound(String)

    public var description: String {
        switch self {
        case .notBuilt: "this data directory has no projections yet; start the server on it once to build them"
        case .notFound(let what): "\(what) was not found"
        }
    }
}
