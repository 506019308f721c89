import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// One law for every value the server accepts: for each field of each event
/// type and each envelope member, generated values (edge cases included)
/// either come back equal through `read`, every projection, `replay`, a
/// rebuild and a replica's copy, or are refused at `append` naming the member.
@Suite struct ValueRoundTripTests {
    let dir = TemporaryDirectory("round-trip")

    /// A step into a JSON value: a member or an element.
    enum Step: CustomStringConvertible {
        case key(String)
        case index(Int)

        var description: String {
            switch self {
            case .key(let key): ".\(key)"
            case .index(let index): "[\(index)]"
            }
        }
    }

    /// Every event type's sample data and the events that must precede it.
    static let samples: [(type: String, data: JSONValue, after: [String])] = [
        ("AgreementProposed", Requests.proposal, []),
        ("LegalReviewCompleted", Requests.review, ["AgreementProposed"]),
        ("AgreementApproved", Requests.approval, ["AgreementProposed", "LegalReviewCompleted"]),
        (
            "AgreementRejected", ["reasons": ["Not in the public interest"], "decidedBy": "DSAP", "decisionDate": "2025-01-10"],
            ["AgreementProposed"]
        ),
        ("ApplicationWithdrawn", ["reason": "Project cancelled", "withdrawnBy": "applicant"], ["AgreementProposed"]),
        ("AgreementRenewed", ["newEndDate": "2026-12-31", "approver": "DSAP", "renewedOn": "2025-11-20"], lifecycle),
        (
            "AgreementAmended", ["dataItems": ["name", "address"], "purpose": "Safeguarding", "reason": "Scope", "amendedBy": "DPO"],
            lifecycle
        ),
        ("AgreementSuspended", ["reason": "Breach", "breachReference": "BR-1", "suspendedBy": "DPO"], lifecycle),
        ("AgreementReinstated", ["reason": "Resolved", "reinstatedBy": "DPO"], lifecycle + ["AgreementSuspended"]),
        ("AgreementRevoked", ["reason": "Purpose fulfilled", "revokedBy": "DPO", "effectiveDate": "2025-06-30"], lifecycle),
        ("LawEnforcementAccessRecorded", Requests.access(), lifecycle),
    ]
    static let lifecycle = ["AgreementProposed", "LegalReviewCompleted", "AgreementApproved"]

    static func sample(_ type: String) -> JSONValue { samples.first { $0.type == type }!.data }

    /// Every leaf of `value` with its path (objects and arrays are stepped into).
    static func leaves(_ value: JSONValue, at path: [Step] = []) -> [([Step], JSONValue)] {
        switch value {
        case .object(let members): return members.flatMap { key, member in leaves(member, at: path + [.key(key)]) }
        case .array(let elements) where !elements.isEmpty:
            return [(path, value)] + elements.enumerated().flatMap { index, element in leaves(element, at: path + [.index(index)]) }
        default: return [(path, value)]
        }
    }

    static func replacing(_ value: JSONValue, at path: ArraySlice<Step>, with new: JSONValue) -> JSONValue {
        guard let first = path.first else { return new }
        switch (first, value) {
        case (.key(let key), .object(var members)):
            members[key] = replacing(members[key] ?? .null, at: path.dropFirst(), with: new)
            return .object(members)
        case (.index(let index), .array(var elements)):
            elements[index] = replacing(elements[index], at: path.dropFirst(), with: new)
            return .array(elements)
        default: return value
        }
    }

    static let strings: [JSONValue] = [
        "", " ", "x", "é", "e\u{301}", "\u{200B}x", "a\nb", "a\u{85}b", "\u{202E}abc", "😀", "\u{FB33}",
        .string(String(repeating: "a", count: 5_000)),
    ]
    static let dates: [JSONValue] = ["0001-01-01", "9999-12-31", "0000-12-31", "10000-01-01", "2024-02-29", "2025-02-29", "2025-1-01"]
    static let integers: [JSONValue] = [0, -1, 1, 9_007_199_254_740_991, 9_007_199_254_740_992, .integer(Int64.max), 1.5]
    static let times: [JSONValue] = [
        "2025-06-30T00:00:00Z", "2025-06-30T01:00:00+01:00", "2025-06-30T00:00:00.123456Z", "2025-06-30T00:00:00.1234567Z",
        "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
        "2025-06-30", "2025-06-30T00:00:00+99:99", "2025-06-30T00:00:00+24:00", "10000-01-01T00:00:00Z", "2025-06-30t00:00:00z",
    ]

    /// The values to try in place of `original`.
    static func candidates(for original: JSONValue) -> [JSONValue] {
        var values: [JSONValue] = [.null, ["nested": true]]
        switch original {
        case .string(let text):
            values += strings + [1]
            if CalendarDate(text) != nil { values += dates }
        case .integer: values += integers + ["1"]
        case .bool: values += [true, false, "true"]
        case .array(let elements): values += [[], .array(elements + elements), "x"]
        default: break
        }
        return values
    }

    struct Case {
        let type: String
        let field: String
        let event: JSONValue
    }

    /// Every generated case: each leaf of each type's data, an unknown
    /// member at each object, and the envelope's `occurredAt` and `metadata`.
    static func cases() -> [Case] {
        var cases: [Case] = []
        for sample in samples {
            func event(data: JSONValue, occurredAt: JSONValue? = nil, metadata: JSONValue? = nil) -> JSONValue {
                var members: [String: JSONValue] = [
                    "eventId": .string(UUID.timeOrdered().lowercaseText), "type": .string(sample.type), "data": data,
                ]
                if let occurredAt { members["occurredAt"] = occurredAt }
                if let metadata { members["metadata"] = metadata }
                return .object(JSONObject(members))
            }
            for (path, original) in leaves(sample.data) {
                let field = "events[0].data" + path.map(\.description).joined()
                for value in candidates(for: original) {
                    cases.append(
                        Case(type: sample.type, field: field, event: event(data: replacing(sample.data, at: path[...], with: value))))
                }
            }
            if case .object(var members) = sample.data {
                members["unexpected"] = "personal data"
                cases.append(Case(type: sample.type, field: "events[0].data.unexpected", event: event(data: .object(members))))
            }
            for time in times {
                cases.append(Case(type: sample.type, field: "events[0].occurredAt", event: event(data: sample.data, occurredAt: time)))
            }
            for value in strings + integers + [.null] {
                cases.append(
                    Case(type: sample.type, field: "events[0].metadata.note", event: event(data: sample.data, metadata: ["note": value])))
            }
        }
        return cases
    }

    @Test func everyAcceptedValueReadsBackEqualAndEveryOtherIsRefusedByName() async throws {
        try await TestServer.with(dir, mapSize: 256 << 20) { server in
            let all = Self.cases()
            let accepted = Collector<String>()
            try await AccordClient.connect(port: server.port) { client in
                for (number, item) in all.enumerated() {
                    let stream = "RT-\(number)"
                    let prefix = Self.samples.first { $0.type == item.type }!.after.map { type in
                        Requests.event(type, Self.sample(type))
                    }
                    if !prefix.isEmpty { try await client.request("append", ["agreementId": .string(stream), "events": .array(prefix)]) }
                    do {
                        let answer = try await client.request("append", ["agreementId": .string(stream), "events": [item.event]])
                        let position = answer["positions"]?.arrayValue?.first
                        let read = try await client.request(
                            "read", ["agreementId": .string(stream), "from": .integer(Int64(prefix.count))])
                        let stored = try #require(read["events"]?.arrayValue?.first, "\(item.field): accepted but not read back")
                        #expect(stored["position"] == position)
                        #expect(stored["data"]?.canonicalString == item.event["data"]?.canonicalString, "\(item.field): data changed")
                        #expect(
                            (stored["metadata"] ?? [:]).canonicalString == (item.event["metadata"] ?? [:]).canonicalString,
                            "\(item.field): metadata changed")
                        if let sent = item.event["occurredAt"]?.stringValue {
                            #expect(
                                stored["occurredAt"]?.stringValue.flatMap { Timestamp(rfc3339: $0) } == Timestamp(rfc3339: sent),
                                "\(item.field) \(sent) did not read back as the same instant in the accepted range")
                        }
                        _ = try await client.request("agreement", ["agreementId": .string(stream), "history": true])
                        accepted.append(stream)
                    } catch ClientError.server(let code, _, let error) {
                        #expect(
                            [.badRequest, .validationFailed, .invalidTransition].contains(code),
                            "\(item.field) = \(item.event.canonicalString.prefix(200)): \(code.rawValue)")
                        if code != .invalidTransition {
                            #expect(error["field"]?.stringValue?.isEmpty == false, "\(item.field): \(code.rawValue) names no member")
                        }
                    }
                }
                #expect(accepted.all.count > 100, "some generated values are valid")
                // Every projection answers over everything accepted.
                let register = try await client.request("register", ["on": "2025-06-01"])
                for recipient in Set((register["rows"]?.arrayValue ?? []).compactMap { $0["recipientId"]?.stringValue }) {
                    _ = try await client.request("recipient", ["recipientId": .string(recipient)])
                }
                _ = try await client.request("law_enforcement_stats", ["periodKind": "quarter"])
                _ = try await client.request("export", ["table": "register"])
                _ = try await client.request("export", ["table": "statistics"])
                _ = try await client.request("watch", ["projection": "register"])
                #expect(try await client.request("health")["damagedAgreements"] == 0)
                // Replay: every stored event reads back through a client's decoder.
                var from: JSONValue = 0
                while from != .null {
                    let page = try await client.request("read_all", ["from": from, "limit": 1_000])
                    for event in page["events"]?.arrayValue ?? [] { _ = try RecordedEvent(json: event) }
                    from = page["next"] ?? .null
                }
            }
            // A rebuild folds exactly what the appends projected.
            let before = try server.registry.storedState(server.store)
            try server.registry.rebuild(server.store)
            #expect(try server.registry.storedState(server.store) == before)
            // A replica's copy equals the primary, byte for byte and answer for answer.
            let replica = try await ReplicaFixture.startReplica(dir, primary: server.port)
            defer { replica.stop() }
            try await ReplicaFixture.caughtUp(primary: server.port, replica: replica.port)
            try await ReplicaFixture.expectEqual(primary: server.port, replica: replica.port)
        }
    }
}
