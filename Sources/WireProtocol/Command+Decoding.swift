import AccordCore
import AccordJSON
import Foundation

extension Command {
    /// The longest `hello` client name: one line, shown in logs, listings and on every event the connection appends.
    public static let maxClientNameBytes = 128

    /// Decodes the members of operation `op`; unknown members, missing ones
    /// and wrong types are `bad_request` naming the member, an unknown
    /// operation `unknown_op`.
    public init(op: String, members: JSONObject) throws(WireError) {
        var m = Members(op: op, members)
        switch op {
        case "ping": self = .ping
        case "hello":
            let (token, client) = (try m.optionalString("token"), try m.optionalString("client"))
            if token != nil, client != nil {
                throw .badRequest("give token (a server with tokens) or client (one without), not both", field: "client")
            }
            if let client {
                guard !client.isEmpty, client.utf8.count <= Self.maxClientNameBytes else {
                    throw .badRequest("client must be 1 to \(Self.maxClientNameBytes) bytes", field: "client")
                }
                if let problem = client.nameProblem { throw .badRequest("client \(problem)", field: "client") }
            }
            self = .hello(token: token, client: client)
        case "append": self = .append(try AppendCommand(&m))
        case "read":
            self = .read(
                ReadCommand(
                    agreementId: try m.agreementId(), from: try m.optionalInt("from").map { StreamVersion($0) },
                    direction: try m.optionalEnum("direction", Direction.self) ?? .forward, limit: try m.limit()))
        case "read_all":
            self = .readAll(
                ReadAllCommand(
                    from: try m.optionalInt("from").map { Position($0) },
                    direction: try m.optionalEnum("direction", Direction.self) ?? .forward,
                    limit: try m.limit(), selection: try EventSelection(&m)))
        case "subscribe": self = .subscribe(SubscribeCommand(from: try SubscribeCommand.Start(&m), selection: try EventSelection(&m)))
        case "unsubscribe": self = .unsubscribe(name: try m.string("sub"))
        case "watch": self = .watch(try WatchCommand(&m))
        case "unwatch": self = .unwatch(name: try m.string("watch"))
        case "register":
            let history = try HistoryPoint(&m)
            let filter = RegisterFilter(
                status: try m.optionalEnum("status", EffectiveStatus.self), recipientId: try m.optionalString("recipientId"),
                category: try m.optionalEnum("category", RecipientCategory.self), gatewayId: try m.optionalString("gatewayId"),
                expiringWithinDays: try m.optionalInt("expiringWithinDays", range: 0...36_500).map { Int($0) },
                reviewDue: try m.optionalBool("reviewDue"))
            self = .register(RegisterQuery(history: history, on: try m.optionalDate("on"), filter: filter))
        case "agreement":
            self = .agreement(
                AgreementQuery(
                    agreementId: try m.agreementId(), history: try HistoryPoint(&m), on: try m.optionalDate("on"),
                    includeEvents: try m.optionalBool("history") ?? false))
        case "recipient":
            self = .recipient(
                RecipientQuery(recipientId: try m.string("recipientId"), history: try HistoryPoint(&m), on: try m.optionalDate("on")))
        case "law_enforcement_stats":
            self = .lawEnforcementStats(
                StatisticsQuery(
                    history: try HistoryPoint(&m), periodKind: try m.optionalEnum("periodKind", StatisticsQuery.PeriodKind.self),
                    requesterType: try m.optionalEnum("requesterType", RequesterType.self)))
        case "export":
            self = .export(
                ExportQuery(
                    table: try m.enumeration("table", ExportQuery.Table.self), history: try HistoryPoint(&m), on: try m.optionalDate("on")))
        case "checkpoint": self = .checkpoint(treeSize: try m.optionalInt("treeSize").map { UInt64($0) })
        case "prove_inclusion":
            self = .proveInclusion(position: Position(try m.int("position")), treeSize: try m.optionalInt("treeSize").map { UInt64($0) })
        case "prove_consistency":
            self = .proveConsistency(oldSize: UInt64(try m.int("oldSize")), newSize: try m.optionalInt("newSize").map { UInt64($0) })
        case "health": self = .health
        case "position_at":
            guard let time = try m.optionalTimeOrDate("recordedAt") else {
                throw .badRequest("recordedAt is required: an RFC 3339 time or a date", field: "recordedAt")
            }
            self = .positionAt(recordedAt: time)
        case "gateways": self = .gateways
        case "connections": self = .connections
        case "disconnect": self = .disconnect(connection: UInt64(try m.int("connection")))
        case "check": self = .check
        case "rebuild": self = .rebuild
        case "fence":
            self = .fence(
                epoch: UInt64(try m.int("epoch", range: 2...Int64.max)), primary: try m.optionalString("primary"),
                reason: try m.optionalString("reason"))
        case "audit_read": self = .auditRead(try AuditedReadRequest(&m))
        case "publish_edition": self = .publishEdition(try EditionRecord(&m))
        case "read_records":
            self = .readRecords(
                from: Position(try m.int("from")), limit: try m.limit(default: 10_000, maximum: 100_000),
                maxBytes: Int(try m.optionalInt("maxBytes", range: 1_024...(64 << 20)) ?? (1 << 20)))
        default:
            throw WireError(.unknownOp, "unknown operation \"\(op)\"; the operations are \(Self.operations.joined(separator: ", "))")
        }
        try m.finish()
    }
}

extension AppendCommand {
    init(_ m: inout Members) throws(WireError) {
        agreementId = try m.agreementId()
        expected = try m.take("expectedVersion").map { value throws(WireError) in try ExpectedVersion(json: value) } ?? .any
        guard case .array(let items)? = try m.take("events") else {
            throw .badRequest("events is required: an array of events", field: "events")
        }
        events = []
        events.reserveCapacity(items.count)
        for (index, item) in items.enumerated() { events.append(try WireEvent(item, index: index)) }
    }
}

extension WireEvent {
    /// Reads `events[index]`: `eventId`, `type`, `data`, and optional `metadata` and `occurredAt`.
    init(_ item: JSONValue, index: Int) throws(WireError) {
        // Spelled only for a message.
        var field: String { "events[\(index)]" }
        guard case .object(let members) = item else { throw .badRequest("\(field) must be an object", field: field) }
        var m = Members(element: "events", at: index, members)
        let idText = try m.string("eventId")
        guard let id = UUID(text: idText) else {
            throw .badRequest("\(field).eventId must be a UUID; got \"\(idText)\"", field: "\(field).eventId")
        }
        eventId = id
        type = try m.string("type")
        guard case .object(let data)? = try m.take("data") else {
            throw .badRequest("\(field).data must be an object", field: "\(field).data")
        }
        let metadata: JSONObject
        switch try m.take("metadata") {
        case nil: metadata = JSONObject()
        case .object(let object)?: metadata = object
        default: throw .badRequest("\(field).metadata must be an object", field: "\(field).metadata")
        }
        if let text = try m.optionalString("occurredAt") {
            guard let time = Timestamp(rfc3339: text) else {
                // Well formed, but the offset carries it out of 0001–9999: a rule on the value, not its shape.
                if Timestamp(storedRFC3339: text) != nil, text.utf8.count > 4,
                    text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: 4)] == 0x2D
                {
                    throw WireError(
                        .validationFailed, "\(field).occurredAt \(text) is outside the years 0001 to 9999 once its offset is applied",
                        details: ["field": .string("\(field).occurredAt")])
                }
                throw .badRequest(
                    "\(field).occurredAt must be an RFC 3339 date-time (YYYY-MM-DDThh:mm:ss, at most six fractional digits, "
                        + "Z or an offset within ±23:59) in the years 0001 to 9999; got \"\(text)\"", field: "\(field).occurredAt")
            }
            occurredAt = time
        }
        try m.finish()
        // Paths are spelled only for a failure: a valid event builds no strings here.
        let inexact = data.firstInexactIntegerSuffix().map { ".data" + $0 } ?? metadata.firstInexactIntegerSuffix().map { ".metadata" + $0 }
        if let suffix = inexact {
            let path = field + suffix
            throw WireError(
                .validationFailed,
                "\(path) is an integer beyond ±(2^53 − 1), which JSON numbers cannot carry exactly (RFC 8785, I-JSON); send it as a string",
                details: ["field": .string(path)])
        }
        if let suffix = data.firstNonNFCSuffix().map({ ".data" + $0 }) ?? metadata.firstNonNFCSuffix().map({ ".metadata" + $0 }) {
            let path = field + suffix
            throw WireError(
                .validationFailed,
                "\(path) is not in Unicode normalization form C (NFC); send the composed form, so that one text is stored one way",
                details: ["field": .string(path)])
        }
        canonicalData = CanonicalJSON(object: data)
        canonicalMetadata = metadata.isEmpty ? .emptyObject : CanonicalJSON(object: metadata)
    }
}

extension EventSelection {
    init(_ m: inout Members) throws(WireError) {
        self.init(
            types: try m.optionalStrings("types").map(Set.init), agreementId: try m.optionalAgreementId(),
            recipientId: try m.optionalString("recipientId"))
    }
}

extension SubscribeCommand.Start {
    init(_ m: inout Members) throws(WireError) {
        switch try m.take("from") {
        case nil, .string("end")?: self = .end
        case .string("start")?: self = .start
        case .integer(let p)? where p >= 0: self = .position(Position(p))
        default: throw .badRequest("from must be a position, \"start\" or \"end\"", field: "from")
        }
    }
}

extension WatchCommand {
    init(_ m: inout Members) throws(WireError) {
        switch try m.take("projection") {
        case .string(let name)?:
            projections = [try Self.projection(name, &m)]
            tagged = false
        case .array(let names)?:
            let strings = names.compactMap(\.stringValue)
            guard strings.count == names.count, !strings.isEmpty, Set(strings).count == strings.count,
                strings.allSatisfy({ $0 == "register" || $0 == "law_enforcement_stats" })
            else {
                throw .badRequest(
                    "a list of projections names register and law_enforcement_stats, each at most once", field: "projection")
            }
            projections = try strings.map { name throws(WireError) in try Self.projection(name, &m) }
            tagged = true
        case nil: throw .badRequest("projection is required", field: "projection")
        default: throw .badRequest("projection must be a name or a list of names", field: "projection")
        }
        on = try m.optionalDate("on")
        since = try m.optionalInt("since").map { Position($0) }
        progress = try m.optionalBool("progress") ?? false
    }

    private static func projection(_ name: String, _ m: inout Members) throws(WireError) -> Projection {
        switch name {
        case "register": return .register
        case "recipient": return .recipient(try m.string("recipientId"))
        case "law_enforcement_stats": return .statistics
        case let other:
            throw .badRequest("projection must be one of register, recipient, law_enforcement_stats; got \"\(other)\"", field: "projection")
        }
    }
}

extension HistoryPoint {
    /// `asOf` (a position, or an RFC 3339 time or date) or `effectiveAt`
    /// (a time or date); not both. A date means the end of that day (UTC).
    init(_ m: inout Members) throws(WireError) {
        let effective = try m.optionalTimeOrDate("effectiveAt")
        let asOf = try m.take("asOf")
        switch (asOf, effective) {
        case (nil, nil): self = .head
        case (nil, let time?): self = .effectiveAt(time)
        case (.some, .some):
            throw .badRequest("give asOf (what the register said) or effectiveAt (what was in force), not both", field: "effectiveAt")
        case (.integer(let p)?, nil) where p >= 0: self = .position(Position(p))
        case (.string(let text)?, nil):
            guard let time = Timestamp(upToTimeOrDate: text) else {
                throw .badRequest("asOf must be a position or an RFC 3339 time or a date; got \"\(text)\"", field: "asOf")
            }
            self = .recordedAt(time)
        default: throw .badRequest("asOf must be a position or an RFC 3339 time or a date", field: "asOf")
        }
    }
}
