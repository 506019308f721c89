import AccordCore
import AccordJSON
import Agreements
import EventStore
import LMDB
import Registry
import WireProtocol

extension Operations {
    /// The registry's history point for a query's `asOf`/`effectiveAt`; a
    /// position past the head is refused (`pastHead`).
    func asOf(_ history: HistoryPoint) throws -> AsOf {
        switch history {
        case .head: return .head
        case .position(let position):
            try Self.notPastHead(position, member: "asOf", head: store.head)
            return .position(position)
        case .recordedAt(let time): return .recordedAt(time)
        case .effectiveAt(let time): return .effectiveAt(time)
        }
    }

    /// One rule for every member that names a position or a log size
    /// (`from`, `asOf`, `since`, proofs' sizes): at most the head, else
    /// `bad_request` naming the member, with the head in `head`.
    static func notPastHead(_ value: UInt64, member: String, head: Position) throws {
        guard value > head else { return }
        throw WireError(
            .badRequest, "\(member) \(value) is past the log's head \(head)",
            details: ["field": .string(member), "head": .integer(Int64(head))])
    }

    /// `on`, or by default the date of `asOf`/`effectiveAt` when it is a time, else today.
    func on(_ on: CalendarDate?, _ history: HistoryPoint) -> CalendarDate {
        on ?? history.time.map(CalendarDate.init) ?? today()
    }

    /// `position_at`: the log's length at a recorded time (events recorded at or before it).
    func positionAt(_ time: Timestamp) throws -> JSONValue {
        ["position": .integer(Int64(try registry.position(of: .recordedAt(time), in: store))), "head": .integer(Int64(store.head))]
    }

    /// Every projection as of `history`, folded from the log.
    func state(_ history: HistoryPoint) throws -> RegisterState {
        try registry.state(asOf: try asOf(history), in: store)
    }

    /// At the head, queries read the stored projections (kept in the same
    /// transactions as the log) instead of loading every agreement: a query's
    /// cost then follows its answer, not the register's size. Elsewhere in
    /// history, `fold` answers from a replay.
    func query<R>(
        _ history: HistoryPoint, atHead: (borrowing Transaction) throws -> R, fold: (RegisterState) throws -> R
    ) throws -> (R, Position) {
        guard history == .head else {
            let state = try state(history)
            return (try fold(state), state.position)
        }
        return try store.read { txn in (try atHead(txn), try registry.storedState(in: txn).position) }
    }

    func register(_ query: RegisterQuery) throws -> JSONValue {
        let date = on(query.on, query.history)
        let (rows, position) = try self.query(
            query.history, atHead: { txn in try registry.register(on: date, filter: query.filter, in: txn) },
            fold: { $0.register(on: date, filter: query.filter) })
        return ["position": .integer(Int64(position)), "on": .string(date.description), "rows": try encode(rows)]
    }

    func agreement(_ query: AgreementQuery) throws -> (JSONValue, [ReadAudit.Record]) {
        let id = query.agreementId
        let date = on(query.on, query.history)
        let (found, position) = try self.query(
            query.history, atHead: { txn in try registry.agreement(id.rawValue, in: txn) }, fold: { $0.agreements[id.rawValue] })
        guard let agreement = found else {
            throw WireError(.notFound, "no agreement \(id) \(position < store.head ? "as of position \(position)" : "has been proposed")")
        }
        var result: [String: JSONValue] = [
            "position": .integer(Int64(position)), "agreement": try encode(agreement), "row": try encode(RegisterRow(agreement, on: date)),
        ]
        var disclosed: [ReadAudit.Record] = []
        if query.includeEvents {
            let events = try store.readStream(id, limit: Int(agreement.version) + 1).filter { $0.position < position }
            result["events"] = .array(try events.map { try JSONParser.parse($0.jsonBytes) })
            disclosed = ReadAudit.records(in: events)
        }
        return (.object(JSONObject(result)), disclosed)
    }

    func recipient(_ query: RecipientQuery) throws -> (JSONValue, [ReadAudit.Record]) {
        let recipientId = query.recipientId
        let date = on(query.on, query.history)
        let (agreements, position) = try self.query(
            query.history, atHead: { txn in try registry.agreements(ofRecipient: recipientId, in: txn).sorted { $0.id < $1.id } },
            fold: { $0.agreements.values.filter { $0.recipient.id == recipientId }.sorted { $0.id < $1.id } })
        guard let recipient = agreements.first?.recipient else { throw WireError(.notFound, "no agreement names recipient \(recipientId)") }
        var requests: [JSONValue] = []
        var disclosed: [ReadAudit.Record] = []
        for agreement in agreements where agreement.lawEnforcement.requests > 0 {
            for event in try store.readStream(StreamName(agreement.id), limit: Int(agreement.version) + 1)
            where event.type == ReadAudit.disclosedType && event.position < position {
                guard case .object(var members) = try event.data.value() else { continue }
                members["agreementId"] = .string(agreement.id)
                members["position"] = .integer(Int64(event.position))
                requests.append(.object(members))
                disclosed.append(ReadAudit.Record(agreementId: agreement.id, position: event.position))
            }
        }
        let result: JSONValue = [
            "position": .integer(Int64(position)), "recipient": try encode(recipient),
            "agreements": try encode(agreements.map { RegisterRow($0, on: date) }), "lawEnforcementRequests": .array(requests),
        ]
        return (result, disclosed)
    }

    func statistics(_ query: StatisticsQuery) throws -> JSONValue {
        let (statistics, position) = try self.query(query.history, atHead: { txn in try registry.statistics(in: txn) }, fold: \.statistics)
        let rows = statistics.sortedRows.filter { row in
            (query.periodKind == nil || row.periodKind == query.periodKind?.rawValue)
                && (query.requesterType == nil || row.requesterType == query.requesterType)
        }
        return ["position": .integer(Int64(position)), "rows": try encode(rows)]
    }

    func export(_ query: ExportQuery) throws -> JSONValue {
        let date = on(query.on, query.history)
        let gateways = registry.rules.gateways
        let (csv, position) =
            switch query.table {
            case .register:
                try self.query(
                    query.history, atHead: { txn in CSVExport.register(try registry.register(on: date, in: txn), gateways: gateways) },
                    fold: { CSVExport.register($0.register(on: date), gateways: gateways) })
            case .statistics:
                try self.query(
                    query.history, atHead: { txn in CSVExport.statistics(try registry.statistics(in: txn)) },
                    fold: { CSVExport.statistics($0.statistics) })
            }
        return ["position": .integer(Int64(position)), "contentType": "text/csv", "csv": .string(csv)]
    }
}
