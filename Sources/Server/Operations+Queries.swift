import AccordCore
import AccordJSON
import Agreements
import EventStore
import LMDB
import Registry
import WireProtocol

extension Operations {
    /// `asOf` (an integer position or a recorded time) or `effectiveAt` (a
    /// time): which history a query reads. A plain date means the end of that
    /// day (UTC).
    func asOf(_ request: Request) throws(WireError) -> AsOf {
        let effective = try request.optionalString("effectiveAt")
        if let effective {
            guard request.members["asOf"] == nil || request.members["asOf"] == .null else {
                throw .badRequest("give asOf (what the register said) or effectiveAt (what was in force), not both", field: "effectiveAt")
            }
            guard let time = Timestamp(upToTimeOrDate: effective) else {
                throw .badRequest("effectiveAt must be an RFC 3339 time or a date", field: "effectiveAt")
            }
            return .effectiveAt(time)
        }
        switch request.members["asOf"] {
        case nil, .null?: return .head
        case .integer(let p)? where p >= 0: return .position(Position(p))
        case .string(let text)?:
            guard let time = Timestamp(upToTimeOrDate: text) else {
                throw .badRequest("asOf must be a position or an RFC 3339 time", field: "asOf")
            }
            return .recordedAt(time)
        default: throw .badRequest("asOf must be a position or an RFC 3339 time", field: "asOf")
        }
    }

    /// `on`: the date agreements are judged on; by default the date of
    /// `asOf`/`effectiveAt` when it is a time, else today.
    func on(_ request: Request) throws(WireError) -> CalendarDate {
        guard let text = try request.optionalString("on") else {
            switch try asOf(request) {
            case .recordedAt(let time), .effectiveAt(let time): return CalendarDate(time)
            case .head, .position: return today()
            }
        }
        guard let date = CalendarDate(text) else { throw .badRequest("on must be a date, YYYY-MM-DD", field: "on") }
        return date
    }

    /// `position_at`: the log's length at a recorded time (events recorded at or before it).
    func positionAt(_ request: Request) throws -> JSONValue {
        let text = try request.string("recordedAt")
        guard let time = Timestamp(upToTimeOrDate: text) else {
            throw WireError.badRequest("recordedAt must be an RFC 3339 time or a date", field: "recordedAt")
        }
        return ["position": .integer(Int64(try registry.position(of: .recordedAt(time), in: store))), "head": .integer(Int64(store.head))]
    }

    func state(_ request: Request) throws -> RegisterState {
        try registry.state(asOf: try asOf(request), in: store)
    }

    /// At the head, queries read the stored projections (kept in the same
    /// transactions as the log) instead of loading every agreement: a query's
    /// cost then follows its answer, not the register's size.
    func atHead<R>(_ request: Request, _ body: (borrowing Transaction, Position) throws -> R) throws -> R? {
        guard try asOf(request) == .head else { return nil }
        return try store.read { txn in try body(txn, try registry.storedState(in: txn).position) }
    }

    func register(_ request: Request) throws -> JSONValue {
        let date = try on(request)
        let filter = RegisterFilter(
            status: try request.optionalEnum("status", EffectiveStatus.self), recipientId: try request.optionalString("recipientId"),
            category: try request.optionalEnum("category", RecipientCategory.self), gatewayId: try request.optionalString("gatewayId"),
            expiringWithinDays: try request.optionalInt("expiringWithinDays", range: 0...36_500).map { Int($0) })
        let (rows, position) =
            try atHead(request) { txn, position in (try registry.register(on: date, filter: filter, in: txn), position) }
            ?? {
                let state = try state(request)
                return (state.register(on: date, filter: filter), state.position)
            }()
        return ["position": .integer(Int64(position)), "on": .string(date.description), "rows": try encode(rows)]
    }

    func agreement(_ request: Request) throws -> (JSONValue, [ReadAudit.Record]) {
        let id = try request.agreementId()
        let date = try on(request)
        let (found, position) =
            try atHead(request) { txn, position in (try registry.agreement(id.rawValue, in: txn), position) }
            ?? {
                let state = try state(request)
                return (state.agreements[id.rawValue], state.position)
            }()
        guard let agreement = found else {
            throw WireError(.notFound, "no agreement \(id) \(position < store.head ? "as of position \(position)" : "has been proposed")")
        }
        var result: [String: JSONValue] = [
            "position": .integer(Int64(position)), "agreement": try encode(agreement),
            "row": try encode(RegisterRow(agreement, on: date)),
        ]
        var disclosed: [ReadAudit.Record] = []
        if try request.optionalBool("history") == true {
            let events = try store.readStream(id, limit: Int(agreement.version) + 1).filter { $0.position < position }
            result["events"] = .array(try events.map { try JSONParser.parse($0.jsonBytes) })
            disclosed = ReadAudit.records(in: events)
        }
        return (.object(result), disclosed)
    }

    func recipient(_ request: Request) throws -> (JSONValue, [ReadAudit.Record]) {
        let recipientId = try request.string("recipientId")
        let date = try on(request)
        let (agreements, position) =
            try atHead(request) { txn, position in
                (try registry.agreements(ofRecipient: recipientId, in: txn).sorted { $0.id < $1.id }, position)
            }
            ?? {
                let state = try state(request)
                return (state.agreements.values.filter { $0.recipient.id == recipientId }.sorted { $0.id < $1.id }, state.position)
            }()
        guard let recipient = agreements.first?.recipient else { throw WireError(.notFound, "no agreement names recipient \(recipientId)") }
        var requests: [JSONValue] = []
        var disclosed: [ReadAudit.Record] = []
        for agreement in agreements where agreement.lawEnforcement.requests > 0 {
            for event in try store.readStream(StreamName(agreement.id), limit: Int(agreement.version) + 1)
            where event.type == "LawEnforcementAccessRecorded" && event.position < position {
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

    func statistics(_ request: Request) throws -> JSONValue {
        let kind = try request.optionalString("periodKind")
        guard kind == nil || kind == "month" || kind == "quarter" else {
            throw WireError.badRequest("periodKind must be \"month\" or \"quarter\"", field: "periodKind")
        }
        let requester = try request.optionalEnum("requesterType", RequesterType.self)
        let (statistics, position) =
            try atHead(request) { txn, position in (try registry.statistics(in: txn), position) }
            ?? {
                let state = try state(request)
                return (state.statistics, state.position)
            }()
        let rows = statistics.sortedRows.filter {
            (kind == nil || $0.periodKind == kind) && (requester == nil || $0.requesterType == requester)
        }
        return ["position": .integer(Int64(position)), "rows": try encode(rows)]
    }

    func export(_ request: Request) throws -> JSONValue {
        let table = try request.string("table")
        guard table == "register" || table == "statistics" else {
            throw WireError.badRequest("table must be \"register\" or \"statistics\"", field: "table")
        }
        let date = try on(request)
        let (csv, position) =
            try atHead(request) { txn, position in
                table == "register"
                    ? (CSVExport.register(try registry.register(on: date, in: txn), gateways: registry.rules.gateways), position)
                    : (CSVExport.statistics(try registry.statistics(in: txn)), position)
            }
            ?? {
                let state = try state(request)
                return table == "register"
                    ? (CSVExport.register(state.register(on: date), gateways: registry.rules.gateways), state.position)
                    : (CSVExport.statistics(state.statistics), state.position)
            }()
        return ["position": .integer(Int64(position)), "contentType": "text/csv", "csv": .string(csv)]
    }

    func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder().encode(value)
    }
}
