import AccordCore
import AccordJSON
import Agreements
import EventStore
import LMDB
import Registry
import WireProtocol

/// Pushes every change of one projection: register rows, one recipient's
/// rows, or law-enforcement statistics rows.
///
/// Each step reads, in one snapshot, the events since the last step and the
/// projection rows they changed, so a pushed row is exactly the row as of the
/// snapshot, tagged with the position of the event that last changed it.
struct Watch: Sendable {
    enum Projection: Sendable, Equatable {
        case register
        case recipient(String)
        case statistics
    }

    let id: String
    let store: EventStore
    let registry: Registry
    let projection: Projection
    let on: CalendarDate
    let control: PusherControl

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

    func run(from position: Position, _ output: Output) async {
        await control.run(
            from: position, head: { store.head }, output: output,
            closed: Response.line(["watch": .string(id), "closed": "shutting_down"]),
            step: { next in try changes(since: next) })
    }

    /// The pushed lines for rows changed by events from `start`, and the position reached.
    private func changes(since start: Position) throws -> ([UInt8], Position) {
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
                        for key in LawEnforcementStatistics.keys(for: access) {
                            statistics[key] = record.position
                        }
                    }
                } else {
                    agreements[record.streamName] = record.position
                }
                return true
            }
            var lines: [UInt8] = []
            func push(_ row: JSONValue, _ position: Position) {
                lines += Response.line(["watch": .string(id), "position": .integer(Int64(position)), "row": row])
            }
            if projection == .statistics {
                let all = try registry.statistics(in: txn)
                for (key, position) in statistics.sorted(by: { $0.value < $1.value }) {
                    if let row = all[key] { push(try encode(row), position) }
                }
            } else {
                for (agreementId, position) in agreements.sorted(by: { $0.value < $1.value }) {
                    guard let agreement = try registry.agreement(agreementId, in: txn) else { continue }
                    if case .recipient(let recipientId) = projection, agreement.recipient.id != recipientId { continue }
                    push(try encode(RegisterRow(agreement, on: on)), position)
                }
            }
            return (lines, reached)
        }
    }

    private func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder().encode(value)
    }
}
