import AccordCore
import AccordJSON
import Agreements
import EventStore
import LMDB

/// The projections' databases, beside the event log in the same environment.
///
/// | database               | key                                   | value |
/// |------------------------|---------------------------------------|-------|
/// | `agreements`           | agreement id, UTF-8                   | `Agreement`, canonical JSON, rewritten on lifecycle events |
/// | `recipient_agreements` | recipient id ‖ 0x00 ‖ agreement id    | u64 0 |
/// | `agreement_ends`       | end date `YYYY-MM-DD` ‖ 0x00 ‖ agreement id | u64 0 |
/// | `le_statistics`        | `StatisticsKey` (5 bytes)             | `StatisticsCounters` |
/// | `damaged_agreements`   | agreement id, UTF-8                   | `AgreementDamage`, canonical JSON |
/// | `projection_meta`      | `version`                             | u64 BE |
///
/// An agreement's version, last position and law-enforcement counters change
/// with every event; they are read from its stream's entry in the event store
/// (the counters as the stream's `CountsSummary`), not from the JSON.
///
/// `agreement_ends` holds every agreement that has an end date, in end-date
/// order, so that "expiring within N days" reads only the agreements ending
/// in that window instead of the whole register.
///
/// The log length the projections reflect is the event store's `hookHead`; it moves in the same
/// transaction as the events, so it always equals the log's head once open.
struct RegistryLayout: Sendable {
    /// Bump when the projections' shape or meaning changes: the next start rebuilds.
    static let projectionVersion: UInt64 = 7

    let log: LogReader
    let agreements: Database<String, [UInt8]>
    let recipientAgreements: Database<String, UInt64>
    let agreementEnds: Database<String, UInt64>
    let statistics: Database<StatisticsKey, StatisticsCounters>
    /// Agreements with an event this build cannot fold (`AgreementDamage`).
    let damaged: Database<String, [UInt8]>
    let meta: Database<String, UInt64>

    static func open(_ env: Environment) throws -> RegistryLayout {
        let create = !env.options.readOnly
        let log = try LogReader.open(env)
        func open(_ txn: borrowing Transaction) throws -> RegistryLayout {
            func db<K, V>(_ name: String) throws -> Database<K, V> {
                guard let db = try Database<K, V>.open(name, in: txn, create: create) else {
                    throw RegistryError.notBuilt
                }
                return db
            }
            return try RegistryLayout(
                log: log, agreements: db("agreements"), recipientAgreements: db("recipient_agreements"),
                agreementEnds: db("agreement_ends"),
                statistics: db("le_statistics"), damaged: db("damaged_agreements"), meta: db("projection_meta"))
        }
        return create ? try env.write(open) : try env.read(open)
    }

    func agreement(_ id: String, in txn: borrowing Transaction) throws -> Agreement? {
        guard let bytes = try txn.get(agreements, id) else { return nil }
        return try agreement(json: bytes, in: txn)
    }

    func agreement(json: [UInt8], in txn: borrowing Transaction) throws -> Agreement {
        var agreement = try JSONValueDecoder().decode(Agreement.self, from: json)
        if let stream = try log.streamState(agreement.id, in: txn) {
            agreement.version = stream.version
            agreement.lastPosition = stream.position
            agreement.lawEnforcement = try CountsSummary.counts(stream.summary)
        }
        return agreement
    }

    /// Every damaged agreement, by id.
    func damagedAgreements(in txn: borrowing Transaction) throws -> [String: AgreementDamage] {
        var found: [String: AgreementDamage] = [:]
        try txn.scan(damaged) { id, json in
            found[id] = try JSONValueDecoder().decode(AgreementDamage.self, from: json)
            return true
        }
        return found
    }

    /// Stores `agreement`'s JSON (its counters travel in the stream summary).
    func put(_ agreement: Agreement, in txn: borrowing Transaction) throws {
        try txn.put(agreements, agreement.id, try JSONValueEncoder().canonicalBytes(agreement))
    }

    func statisticsRow(_ key: LawEnforcementStatistics.Key, in txn: borrowing Transaction) throws -> LawEnforcementStatistics.Row? {
        try txn.get(statistics, StatisticsKey(key))?.row(for: key)
    }

    func put(_ row: LawEnforcementStatistics.Row, at key: LawEnforcementStatistics.Key, in txn: borrowing Transaction) throws {
        try txn.put(statistics, StatisticsKey(key), StatisticsCounters(row))
    }

    /// Moves `agreement`'s entry in the end-date index from `old` (its end
    /// date before this change, if any) to its current end date.
    func indexEnd(of agreement: Agreement, replacing old: CalendarDate?, in txn: borrowing Transaction) throws {
        guard old != agreement.endDate else { return }
        if let old { _ = try txn.delete(agreementEnds, Self.indexKey(old.description, agreement.id)) }
        if let end = agreement.endDate { try txn.put(agreementEnds, Self.indexKey(end.description, agreement.id), 0) }
    }

    /// A key of the agreement indexes: the indexed value ‖ 0x00 ‖ agreement id.
    static func indexKey(_ value: String, _ agreementId: String) -> String {
        value + "\u{0}" + agreementId
    }

    /// The agreement ids an index holds for values in `first...last`, in key order.
    func agreementIds(
        in index: Database<String, UInt64>, from first: String, through last: String, in txn: borrowing Transaction
    ) throws -> [String] {
        // Bytes, as LMDB orders them: every key for `last` sorts below `last ‖ 0x01`.
        let stop = Array((last + "\u{1}").utf8)
        var ids: [String] = []
        try txn.scan(index, from: first + "\u{0}") { key, _ in
            guard key.utf8.lexicographicallyPrecedes(stop), let separator = key.utf8.firstIndex(of: 0) else { return false }
            ids.append(String(key[key.utf8.index(after: separator)...]))
            return true
        }
        return ids
    }
}
