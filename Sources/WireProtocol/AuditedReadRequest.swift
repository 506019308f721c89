import AccordJSON

/// One read that disclosed law-enforcement records, for the `$audit` stream:
/// what a replica sends its primary in `audit_read`, so the primary records
/// it in `$audit` as if the read had been made there.
public struct AuditedReadRequest: Sendable, Hashable {
    /// One law-enforcement record the read disclosed.
    public struct Record: Sendable, Hashable {
        public var agreementId: String
        public var position: UInt64

        public init(agreementId: String, position: UInt64) {
            self.agreementId = agreementId
            self.position = position
        }
    }

    /// Who read, as the replica authenticated them.
    public var principal: String
    /// The operation that disclosed the records.
    public var op: String
    public var requestId: JSONValue
    public var records: [Record]

    public init(principal: String, op: String, requestId: JSONValue, records: [Record]) {
        self.principal = principal
        self.op = op
        self.requestId = requestId
        self.records = records
    }
}

extension AuditedReadRequest {
    /// `records` as JSON, as `audit_read` carries them and `AuditedRead` stores them.
    public var recordsJSON: JSONValue {
        .array(records.map { ["agreementId": .string($0.agreementId), "position": .integer(Int64($0.position))] })
    }

    /// `audit_read`'s members: `principal`, `readOp`, `requestId` (any JSON,
    /// default `null`), `records` (1 to 1,000 `{agreementId, position}`).
    init(_ m: inout Members) throws(WireError) {
        principal = try m.string("principal")
        op = try m.string("readOp")
        requestId = m.takeAllowingNull("requestId") ?? .null
        guard case .array(let items)? = try m.take("records"), (1...1_000).contains(items.count) else {
            throw .badRequest("records must be an array of 1 to 1000 {agreementId, position} objects", field: "records")
        }
        records = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else {
                throw .badRequest("records[\(index)] must be an object", field: "records[\(index)]")
            }
            var r = Members(element: "records", at: index, op: m.op, object)
            records.append(Record(agreementId: try r.string("agreementId"), position: UInt64(try r.int("position"))))
            try r.finish()
        }
    }
}
