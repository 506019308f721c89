import AccordCore
import AccordJSON
import Foundation

extension Command {
    /// The request's members besides `id` and `op`, as the protocol spells
    /// them: what a client sends for this command. `Command(op:members:)`
    /// decodes them back to an equal command (tested for every operation);
    /// defaults are left out.
    public var members: JSONObject {
        var m = MemberWriter()
        switch self {
        case .ping, .health, .gateways, .connections, .check, .rebuild: break
        case .hello(let token, let client):
            m["token"] = token.map(JSONValue.string)
            m["client"] = client.map(JSONValue.string)
        case .append(let append):
            m["agreementId"] = .string(append.agreementId.rawValue)
            if append.expected != .any { m["expectedVersion"] = append.expected.json }
            m["events"] = .array(append.events.map(\.json))
        case .read(let read):
            m["agreementId"] = .string(read.agreementId.rawValue)
            m["from"] = read.from.map { .integer(Int64($0)) }
            m.direction(read.direction)
            m["limit"] = .integer(Int64(read.limit))
        case .readAll(let read):
            m["from"] = read.from.map { .integer(Int64($0)) }
            m.direction(read.direction)
            m["limit"] = .integer(Int64(read.limit))
            m.selection(read.selection)
        case .subscribe(let subscribe):
            switch subscribe.from {
            case .start: m["from"] = "start"
            case .end: break
            case .position(let position): m["from"] = .integer(Int64(position))
            }
            m.selection(subscribe.selection)
        case .unsubscribe(let name): m["sub"] = .string(name)
        case .watch(let watch):
            let names = watch.projections.map { JSONValue.string($0.name) }
            m["projection"] = watch.tagged ? .array(names) : names.first
            for case .recipient(let id) in watch.projections { m["recipientId"] = .string(id) }
            m.date("on", watch.on)
            m["since"] = watch.since.map { .integer(Int64($0)) }
            if watch.progress { m["progress"] = true }
        case .unwatch(let name): m["watch"] = .string(name)
        case .register(let query):
            m.history(query.history)
            m.date("on", query.on)
            let filter = query.filter
            m["status"] = filter.status.map { .string($0.rawValue) }
            m["recipientId"] = filter.recipientId.map(JSONValue.string)
            m["category"] = filter.category.map { .string($0.rawValue) }
            m["gatewayId"] = filter.gatewayId.map(JSONValue.string)
            m["expiringWithinDays"] = filter.expiringWithinDays.map { .integer(Int64($0)) }
            m["reviewDue"] = filter.reviewDue.map(JSONValue.bool)
        case .agreement(let query):
            m["agreementId"] = .string(query.agreementId.rawValue)
            m.history(query.history)
            m.date("on", query.on)
            if query.includeEvents { m["history"] = true }
        case .recipient(let query):
            m["recipientId"] = .string(query.recipientId)
            m.history(query.history)
            m.date("on", query.on)
        case .lawEnforcementStats(let query):
            m.history(query.history)
            m["periodKind"] = query.periodKind.map { .string($0.rawValue) }
            m["requesterType"] = query.requesterType.map { .string($0.rawValue) }
        case .export(let query):
            m["table"] = .string(query.table.rawValue)
            m.history(query.history)
            m.date("on", query.on)
        case .checkpoint(let treeSize): m["treeSize"] = treeSize.map { .integer(Int64($0)) }
        case .proveInclusion(let position, let treeSize):
            m["position"] = .integer(Int64(position))
            m["treeSize"] = treeSize.map { .integer(Int64($0)) }
        case .proveConsistency(let oldSize, let newSize):
            m["oldSize"] = .integer(Int64(oldSize))
            m["newSize"] = newSize.map { .integer(Int64($0)) }
        case .positionAt(let time): m["recordedAt"] = .string(time.rfc3339)
        case .disconnect(let connection): m["connection"] = .integer(Int64(connection))
        case .auditRead(let read):
            m["principal"] = .string(read.principal)
            m["readOp"] = .string(read.op)
            if read.requestId != .null { m["requestId"] = read.requestId }
            m["records"] = read.recordsJSON
        case .readRecords(let from, let limit, let maxBytes):
            m["from"] = .integer(Int64(from))
            m["limit"] = .integer(Int64(limit))
            m["maxBytes"] = .integer(Int64(maxBytes))
        case .fence(let epoch, let primary, let reason):
            m["epoch"] = .integer(Int64(epoch))
            m["primary"] = primary.map(JSONValue.string)
            m["reason"] = reason.map(JSONValue.string)
        case .publishEdition(let record):
            m["treeSize"] = .integer(Int64(record.treeSize))
            m["root"] = .string(record.root)
            m["manifestSha256"] = .string(record.manifestSHA256)
            m.date("editionDate", record.editionDate)
        }
        return m.object
    }

    /// The whole request line's value, with `id`.
    public func request(id: JSONValue) -> JSONValue {
        var object = members
        object["id"] = id
        object["op"] = .string(op)
        return .object(object)
    }
}

extension WireEvent {
    /// The event as a request carries it.
    var json: JSONValue {
        var m = MemberWriter()
        m["eventId"] = .string(eventId.uuidString.lowercased())
        m["type"] = .string(type)
        m["data"] = (try? canonicalData.value()) ?? .object(JSONObject())
        if canonicalMetadata != .emptyObject { m["metadata"] = try? canonicalMetadata.value() }
        m["occurredAt"] = occurredAt.map { .string($0.rfc3339) }
        return .object(m.object)
    }
}

/// Members written in any order; `nil` leaves a member out.
private struct MemberWriter {
    var object = JSONObject()

    subscript(key: String) -> JSONValue? {
        get { object[key] }
        set { if let newValue { object[key] = newValue } }
    }

    mutating func date(_ key: String, _ date: CalendarDate?) {
        self[key] = date.map { .string($0.description) }
    }

    mutating func direction(_ direction: Direction) {
        if direction != .forward { self["direction"] = .string(direction.rawValue) }
    }

    mutating func selection(_ selection: EventSelection) {
        self["types"] = selection.types.map { .array($0.sorted().map(JSONValue.string)) }
        self["agreementId"] = selection.agreementId.map { .string($0.rawValue) }
        self["recipientId"] = selection.recipientId.map(JSONValue.string)
    }

    mutating func history(_ history: HistoryPoint) {
        switch history {
        case .head: break
        case .position(let position): self["asOf"] = .integer(Int64(position))
        case .recordedAt(let time): self["asOf"] = .string(time.rfc3339)
        case .effectiveAt(let time): self["effectiveAt"] = .string(time.rfc3339)
        }
    }
}
