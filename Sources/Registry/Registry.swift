import AccordCore
import AccordJSON
import Agreements
import EventStore
import LMDB
import Logging

/// The agreements register: validation on append, and the projections
/// (register, recipient views, law-enforcement statistics) kept in the same
/// LMDB transactions as the events.
///
/// Usage: `Registry.open(in:)` gives the hook to pass to `EventStore`; then
/// `attach(_:)` to the store checks the projections against the log and
/// rebuilds them when their version changed or they lag.
public final class Registry: Sendable {
    let layout: RegistryLayout
    public let rules: AgreementRules
    /// The hook to install in the event store.
    public let hook: any AppendHook
    private let cache: AgreementCache
    let logger: Logger

    public init(
        environment: Environment, rules: AgreementRules = AgreementRules(), logger: Logger = Logger(label: "accord.registry")
    ) throws {
        layout = try RegistryLayout.open(environment)
        self.rules = rules
        self.logger = logger
        let hook = AgreementsHook(layout: layout, rules: rules)
        self.hook = hook
        cache = hook.cache
    }

    /// The writer's cache of decoded agreements: how many it holds, its bound,
    /// and how many it has dropped (any, once it has reached the bound).
    public var agreementCache: (held: Int, capacity: Int, dropped: Int) { cache.occupancy }

    /// The projection version and log position stored with the projections.
    public func storedState(in txn: borrowing Transaction) throws -> (version: UInt64?, position: UInt64) {
        (try txn.get(layout.meta, "version"), try layout.log.hookHead(in: txn))
    }

    /// Rebuilds the projections if their version differs from this build's or
    /// they do not reflect the whole log. Returns whether it rebuilt.
    @discardableResult
    public func attach(_ store: EventStore, progress: (UInt64, UInt64) -> Void = { _, _ in }) throws -> Bool {
        let (version, position) = try store.read { try storedState(in: $0) }
        guard version != RegistryLayout.projectionVersion || position != store.head else { return false }
        logger.notice(
            "rebuilding projections",
            metadata: [
                "storedVersion": "\(version.map(String.init) ?? "none")", "version": "\(RegistryLayout.projectionVersion)",
                "storedPosition": "\(position)", "head": "\(store.head)",
            ])
        try rebuild(store, progress: progress)
        return true
    }

    /// Agreements with an event this build cannot fold, by id (see `AgreementDamage`).
    public func damagedAgreements(in txn: borrowing Transaction) throws -> [String: AgreementDamage] {
        try layout.damagedAgreements(in: txn)
    }

    /// The stored state of one agreement, or `nil`.
    public func agreement(_ id: String, in txn: borrowing Transaction) throws -> Agreement? {
        try layout.agreement(id, in: txn)
    }

    /// The current register on `date`, from the stored projections.
    ///
    /// A recipient's register reads that recipient's agreements only, and
    /// "expiring within N days" only the agreements ending in that window;
    /// other filters read every agreement.
    public func register(
        on date: CalendarDate, filter: RegisterFilter = RegisterFilter(), in txn: borrowing Transaction
    ) throws -> [RegisterRow] {
        let candidates: [Agreement]
        if let recipientId = filter.recipientId {
            candidates = try agreements(ofRecipient: recipientId, in: txn)
        } else if let days = filter.expiringWithinDays {
            candidates = try agreements(endingFrom: date, to: date.adding(days: days), in: txn)
        } else {
            var rows: [RegisterRow] = []
            try txn.scanRaw(layout.agreements) { _, value in
                let row = RegisterRow(try layout.agreement(json: Array(value), in: txn), on: date)
                if filter.matches(row, on: date) { rows.append(row) }
                return true
            }
            return rows
        }
        return candidates.map { RegisterRow($0, on: date) }.filter { filter.matches($0, on: date) }
    }

    /// Agreements whose end date is in `first...last`, in reference order.
    func agreements(endingFrom first: CalendarDate, to last: CalendarDate, in txn: borrowing Transaction) throws -> [Agreement] {
        guard first <= last else { return [] }
        let ids = try layout.agreementIds(in: layout.agreementEnds, from: first.description, through: last.description, in: txn)
        return try ids.sorted().compactMap { try layout.agreement($0, in: txn) }
    }

    /// A recipient's agreements in reference order.
    public func agreements(ofRecipient recipientId: String, in txn: borrowing Transaction) throws -> [Agreement] {
        try layout.agreementIds(in: layout.recipientAgreements, from: recipientId, through: recipientId, in: txn)
            .compactMap { try layout.agreement($0, in: txn) }
    }

    /// Every law-enforcement statistics row, in key order.
    public func statistics(in txn: borrowing Transaction) throws -> LawEnforcementStatistics {
        var statistics = LawEnforcementStatistics()
        try txn.scan(layout.statistics) { key, counters in
            statistics.insert(counters.row(for: key.key))
            return true
        }
        return statistics
    }
}
