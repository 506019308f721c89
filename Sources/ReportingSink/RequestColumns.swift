import AccordCore
import AccordJSON
import PostgresNIO

/// Request events as the column arrays `SinkStatements.insertRequests`
/// binds: PostgreSQL decodes binary arrays far faster than it parses JSON.
/// Absent texts travel as empty strings (no request field may be blank) and
/// lists of data items joined with U+001F, which no item contains.
struct RequestColumns: Sendable {
    private var positions: [Int64] = []
    private var texts: [[String]] = Array(repeating: [], count: 13)
    private var counts: [[Int64]] = Array(repeating: [], count: 3)
    private var tail: [[String]] = Array(repeating: [], count: 2)

    static let separator = "\u{1F}"

    init(_ events: [RecordedEvent]) throws {
        for event in events {
            let data = try event.data.value()
            func text(_ key: String) -> String { data[key]?.stringValue ?? "" }
            func items(_ key: String) -> String {
                (data[key]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: Self.separator)
            }
            positions.append(Int64(event.position))
            let row = [
                event.stream.rawValue, event.recordedAt.rfc3339, event.principal ?? "", text("requestReference"), text("requestDate"),
                text("requesterType"), text("requesterOrganisation"), text("legalAuthority"), text("grounds"),
                text("evidenceReference"), text("courtOrderReference"), items("dataItemsRequested"), items("dataItemsDisclosed"),
            ]
            for (i, value) in row.enumerated() { texts[i].append(value) }
            for (i, key) in ["subjectsRequested", "subjectsMatched", "subjectsDisclosed"].enumerated() {
                counts[i].append(data[key]?.int64Value ?? 0)
            }
            tail[0].append(text("decision"))
            tail[1].append(text("decidedBy"))
        }
    }

    var count: Int { positions.count }

    /// `$1`…`$19` in the statement's order.
    var bindings: PostgresBindings {
        var binds = PostgresBindings(capacity: 19)
        binds.append(positions)
        for column in texts { binds.append(column) }
        for column in counts { binds.append(column) }
        for column in tail { binds.append(column) }
        return binds
    }
}
