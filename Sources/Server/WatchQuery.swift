import AccordCore
import AccordJSON
import Agreements
import EventStore
import LMDB
import Registry
import WireProtocol

/// What a watch reads: the projection's rows now, and the rows changed by
/// the events since a position, each from one read snapshot, so a pushed
/// row is exactly the row as of the snapshot, tagged with the position of
/// the event that last changed it.
struct WatchQuery: Sendable {
    let name: String
    let store: EventStore
    let registry: Registry
    let projection: WatchCommand.Projection
    let on: CalendarDate

    /// The rows now and the position they reflect.
    func snapshot() throws -> (rows: [JSONValue], position: Position) {
        try store.read { txn in
            let position = try registry.storedState(in: txn).position
            switch projection {
            case .register:
                return (try registry.register(on: on, in: txn).map(encode), position)
            case .recipient(let recipientId):
                return (try registry.agreements(ofRecipient: recipientId, in: txn).map { try encode(RegisterRow($0, on: on)) }, position)
            case .statistics:
                return (try registry.statistics(in: txn).sortedRows.map(encode), position)
            }
        }
    }

    /// The pushed lines for rows changed by events from `start`, and the position reached.
    func changes(since start: Position) throws -> (lines: [UInt8], reached: Position) {
        try store.read { txn in
            let reached = try registry.storedState(in: txn).position
            var agreements: [String: Position] = [:]
            var statistics: [LawEnforcementStatistics.Key: Position] = [:]
            try store.log.scanRecords(from: start, in: txn) { record in
                guard record.position < reached else { return false }
                guard !record.isInSystemStream else { return true }
                if projection == .statistics {
                    if record.hasType("LawEnforcementAccessRecorded") {
                        let access = try record.withData { data throws(AgreementError) in try AccessSummary(canonical: data) }
                        for key in LawEnforcementStatistics.keys(for: access) { statistics[key] = record.position }
                    }
                } else {
                    agreements[record.streamName] = record.position
                }
                return true
            }
            var writer = JSONWriter(capacity: 512)
            if projection == .statistics {
                let all = try registry.statistics(in: txn)
                for (key, position) in statistics.sorted(by: { $0.value < $1.value }) {
                    if let row = all[key] { Push.row(watch: name, position: position, try encode(row), into: &writer) }
                }
            } else {
                for (agreementId, position) in agreements.sorted(by: { $0.value < $1.value }) {
                    guard let agreement = try registry.agreement(agreementId, in: txn) else { continue }
                    if case .recipient(let recipientId) = projection, agreement.recipient.id != recipientId { continue }
                    Push.row(watch: name, position: position, try encode(RegisterRow(agreement, on: on)), into: &writer)
                }
            }
            return (writer.bytes, reached)
        }
    }

    private func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder().encode(value)
    }
}
