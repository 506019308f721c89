import AccordCore
import AccordJSON
import Agreements
import Crypto
import EventStore
import LMDB

extension Registry {
    /// One projection table compared with a fresh fold of the log.
    public struct TableCheck: Sendable, Equatable {
        public var table: String
        /// SHA-256 over the table's entries as stored, and as the fold would write them (hex).
        public var storedDigest: String
        public var foldedDigest: String
        /// What differs: agreement ids, index keys or statistics periods (at most 100).
        public var differences: [String]

        public var matches: Bool { storedDigest == foldedDigest && differences.isEmpty }
    }

    /// The fold of the whole log as this transaction sees it, in it (one
    /// snapshot, so it compares with the stored projections of the same moment).
    public func fold(_ store: EventStore, in txn: borrowing Transaction) throws -> RegisterState {
        var state = RegisterState()
        try store.log.scanRecords(from: 0, in: txn) { record in
            state.apply(record)
            return true
        }
        state.position = try store.log.head(in: txn)
        return state
    }

    /// Compares every stored projection with `folded`, the fold of the
    /// whole log as of this transaction (`RegisterState`), table by table:
    /// `agreements` (each agreement as its row reads it), the two indexes,
    /// `le_statistics`, `damaged_agreements`, and the position they reflect.
    public func check(against folded: RegisterState, in txn: borrowing Transaction) throws -> [TableCheck] {
        let stored = try storedTables(in: txn)
        let expected = try Self.tables(of: folded)
        var checks: [TableCheck] = []
        for name in expected.keys.sorted() {
            let want = expected[name] ?? [:]
            let have = stored[name] ?? [:]
            var differences: [String] = []
            for key in Set(want.keys).union(have.keys).sorted() where want[key] != have[key] {
                let what = want[key] == nil ? "stored but not in the log" : have[key] == nil ? "missing" : "differs from the log"
                differences.append("\(key.isEmpty ? name : key): \(what)")
                if differences.count == 100 { break }
            }
            checks.append(
                TableCheck(table: name, storedDigest: Self.digest(have), foldedDigest: Self.digest(want), differences: differences))
        }
        return checks
    }

    /// The stored projections, table by table, as comparable entries.
    private func storedTables(in txn: borrowing Transaction) throws -> [String: [String: [UInt8]]] {
        var tables: [String: [String: [UInt8]]] = [:]
        var agreements: [String: [UInt8]] = [:]
        var unreadable: [String] = []
        try txn.scanRaw(layout.agreements) { key, value in
            let id = String(decoding: key, as: UTF8.self)
            do {
                agreements[id] = try Self.comparable(try layout.agreement(json: Array(value), in: txn))
            } catch {
                unreadable.append(id)
                agreements[id] = Array("unreadable: \(error)".utf8)
            }
            return true
        }
        tables["agreements"] = agreements
        tables["recipient_agreements"] = try keys(of: layout.recipientAgreements, in: txn)
        tables["agreement_ends"] = try keys(of: layout.agreementEnds, in: txn)
        var statistics: [String: [UInt8]] = [:]
        for row in try self.statistics(in: txn).sortedRows {
            statistics["\(row.periodKind) \(row.period) \(row.requesterType)"] = try JSONValueEncoder().canonicalBytes(row)
        }
        tables["le_statistics"] = statistics
        var damaged: [String: [UInt8]] = [:]
        for (id, damage) in try layout.damagedAgreements(in: txn) { damaged[id] = try JSONValueEncoder().canonicalBytes(damage) }
        tables["damaged_agreements"] = damaged
        let (version, position) = try storedState(in: txn)
        tables["projection_meta"] = ["": Array("version \(version.map(String.init) ?? "none") position \(position)".utf8)]
        return tables
    }

    /// What `write` would store for `state`, in the same comparable form.
    private static func tables(of state: RegisterState) throws -> [String: [String: [UInt8]]] {
        var agreements: [String: [UInt8]] = [:]
        var recipients: [String: [UInt8]] = [:]
        var ends: [String: [UInt8]] = [:]
        for (id, agreement) in state.agreements {
            agreements[id] = try comparable(agreement)
            recipients[RegistryLayout.indexKey(agreement.recipient.id, id)] = []
            if let end = agreement.endDate { ends[RegistryLayout.indexKey(end.description, id)] = [] }
        }
        var statistics: [String: [UInt8]] = [:]
        for row in state.statistics.sortedRows {
            statistics["\(row.periodKind) \(row.period) \(row.requesterType)"] = try JSONValueEncoder().canonicalBytes(row)
        }
        var damaged: [String: [UInt8]] = [:]
        for (id, damage) in state.damaged { damaged[id] = try JSONValueEncoder().canonicalBytes(damage) }
        return [
            "agreements": agreements, "recipient_agreements": recipients, "agreement_ends": ends, "le_statistics": statistics,
            "damaged_agreements": damaged,
            "projection_meta": ["": Array("version \(RegistryLayout.projectionVersion) position \(state.position)".utf8)],
        ]
    }

    /// An agreement's canonical JSON; a damaged one's version and position
    /// are the stream's, which the fold stops short of, so they are left out.
    private static func comparable(_ agreement: Agreement) throws -> [UInt8] {
        var agreement = agreement
        if agreement.damage != nil { (agreement.version, agreement.lastPosition) = (0, 0) }
        return try JSONValueEncoder().canonicalBytes(agreement)
    }

    private func keys(of index: Database<String, UInt64>, in txn: borrowing Transaction) throws -> [String: [UInt8]] {
        var keys: [String: [UInt8]] = [:]
        try txn.scanRaw(index) { key, _ in
            keys[String(decoding: key, as: UTF8.self)] = []
            return true
        }
        return keys
    }

    private static func digest(_ entries: [String: [UInt8]]) -> String {
        var hash = SHA256()
        for key in entries.keys.sorted() {
            hash.update(data: Array(key.utf8) + [0])
            hash.update(data: entries[key] ?? [])
            hash.update(data: [0])
        }
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: hash.finalize().flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
    }
}
