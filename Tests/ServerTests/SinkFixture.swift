import AccordClient
import AccordJSON
import AccordTesting
import Agreements
import AgreementsTesting
import Foundation
import Testing

/// Histories for the sink's tests, and the comparison of PostgreSQL's copy
/// with the server's own answers.
enum SinkFixture {
    /// Appends `steps` random events (valid and invalid; the server refuses
    /// the invalid ones) across twelve agreements.
    static func append(port: Int, seed: UInt64, steps: Int, token: String? = nil) async throws {
        var history = RandomHistory(seed: seed)
        var requests: [[String: JSONValue]] = []
        for _ in 0..<steps {
            let agreement = "DSA-\(history.rng.next() % 12)"
            let event = history.event()
            requests.append([
                "agreementId": .string(agreement), "expectedVersion": "any",
                "events": [["eventId": .string(UUID().uuidString.lowercased()), "type": .string(event.typeName), "data": event.data]],
            ])
        }
        try await AccordClient.connect(ClientConfiguration(port: port, token: token)) { [requests] client in
            for request in requests {
                do {
                    _ = try await client.request("append", request)
                } catch ClientError.server {
                    continue
                }
            }
        }
    }

    /// Waits until the copy reflects the server's head (and, with `requests`,
    /// has copied every request event), failing after a minute.
    static func caughtUp(_ pg: ScratchPostgres, port: Int, sink: SinkProcess, requests: Bool = false, token: String? = nil) async throws {
        let wanted = requests ? try await requestPositions(port: port, token: token).count : 0
        for _ in 0..<1_200 {
            let head = try await AccordClient.connect(ClientConfiguration(port: port, token: token)) { try await $0.ping() }
            let position = (try? pg.query("SELECT position FROM accord.sink_state")).flatMap { UInt64($0) } ?? 0
            let copied = requests ? (try? pg.query("SELECT count(*) FROM accord.law_enforcement_requests")).flatMap { Int($0) } ?? 0 : 0
            if position >= head, copied >= wanted { return }
            guard sink.process.isRunning else { throw SocketError(message: "the sink exited: \(sink.output)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SocketError(message: "the sink did not catch up within a minute: \(sink.output)")
    }

    /// The positions of every request event, read as an auditor would.
    static func requestPositions(port: Int, token: String?) async throws -> [JSONValue] {
        try await AccordClient.connect(ClientConfiguration(port: port, token: token)) { client in
            var positions: [JSONValue] = []
            var from: JSONValue = 0
            while from != .null {
                let page = try await client.request("read_all", ["from": from, "limit": 1_000, "types": ["LawEnforcementAccessRecorded"]])
                positions += (page["events"]?.arrayValue ?? []).compactMap { $0["position"] }
                from = page["next"] ?? .null
            }
            return positions
        }
    }

    /// The register on several dates (and today), the recipients, the
    /// statistics and (with `requests`) the requests equal the server's.
    static func expectEqual(_ pg: ScratchPostgres, port: Int, requests: Bool = false, token: String? = nil) async throws {
        try await AccordClient.connect(ClientConfiguration(port: port, token: token)) { client in
            let gateways = Dictionary(
                uniqueKeysWithValues: (try await client.request("gateways")["gateways"]?.arrayValue ?? []).compactMap { gateway in
                    gateway["id"]?.stringValue.map { ($0, gateway["title"] ?? .null) }
                })
            for day in ["2025-02-01", "2025-07-15", "2026-01-01", "2026-08-31", "2028-01-01", nil] as [String?] {
                let answer = try await client.request("register", day.map { ["on": .string($0)] } ?? [:])
                let expected = (answer["rows"]?.arrayValue ?? []).map { row in
                    var row = snake(row)
                    row["gateway_title"] = row["gateway_id"].flatMap { $0.stringValue.flatMap { gateways[$0] } } ?? .null
                    return normalised(row)
                }
                let sql =
                    day.map { "SELECT * FROM accord.register_on('\($0)') ORDER BY reference COLLATE \"C\"" }
                    ?? "SELECT * FROM accord.register_on_today ORDER BY reference COLLATE \"C\""
                let copied = try pg.rows(sql).map { normalised($0.objectValue ?? [:]) }
                #expect(copied == expected, "register on \(day ?? "today")")
                if day == nil {
                    let table = try pg.rows("SELECT * FROM accord.register ORDER BY reference COLLATE \"C\"")
                    #expect(table.map { normalised($0.objectValue ?? [:]) } == expected, "the register table judged today")
                }
            }
            let recipients = try pg.rows("SELECT id, name, category, agreements FROM accord.recipients ORDER BY id")
            let copiedRequests = requests ? try pg.rows("SELECT * FROM accord.law_enforcement_requests") : []
            let requestRows = Dictionary(uniqueKeysWithValues: copiedRequests.map { ($0["position"] ?? .null, $0.objectValue ?? [:]) })
            var compared = 0
            for recipient in recipients {
                let answer = try await client.request("recipient", ["recipientId": recipient["id"] ?? .null])
                #expect(answer["recipient"]?["name"] == recipient["name"] && answer["recipient"]?["category"] == recipient["category"])
                #expect(recipient["agreements"] == .integer(Int64(answer["agreements"]?.arrayValue?.count ?? -1)))
                // Every request's details as the server discloses them to an auditor, column by column.
                for request in requests ? answer["lawEnforcementRequests"]?.arrayValue ?? [] : [] {
                    let expected = normalised(snake(request))
                    let row = normalised(requestRows[request["position"] ?? .null] ?? [:])
                    #expect(row.filter { expected[$0.key] != nil } == expected, "request at \(request["position"] ?? .null)")
                    compared += 1
                }
            }
            #expect(!requests || compared == copiedRequests.count, "every copied request compared with the server's")
            let statistics = try await client.request("law_enforcement_stats")["rows"]?.arrayValue ?? []
            let copiedStatistics = try pg.rows(
                "SELECT * FROM accord.law_enforcement_statistics ORDER BY period_kind, period, requester_type")
            #expect(
                Set(copiedStatistics.map { normalised($0.objectValue ?? [:]) }) == Set(statistics.map { normalised(snake($0)) }),
                "statistics")
            if requests {
                let positions = try await requestPositions(port: port, token: token)
                let copied = try pg.rows("SELECT position FROM accord.law_enforcement_requests ORDER BY position").compactMap {
                    $0["position"]
                }
                #expect(copied == positions, "one request row per request event")
            }
        }
    }

    /// Every statement in ops/reporting.md's example queries (its ```sql blocks after the heading).
    static func reportingQueries() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("ops/reporting.md"), encoding: .utf8)
        guard let section = text.range(of: "## Example queries") else { return [] }
        let blocks = text[section.upperBound...].components(separatedBy: "```sql\n").dropFirst().map {
            $0.components(separatedBy: "```")[0]
        }
        let queries = blocks.flatMap { $0.components(separatedBy: ";\n") }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return queries.filter { !$0.isEmpty }
    }

    /// camelCase members as the copy's snake_case columns.
    static func snake(_ row: JSONValue) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (key, value) in row.objectValue ?? [:] {
            var name = ""
            for character in key {
                if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
            }
            out[name] = value
        }
        return out
    }

    /// Without nulls (the server leaves absent what a column holds as null).
    static func normalised(_ row: [String: JSONValue]) -> [String: JSONValue] {
        row.filter { $0.value != .null }
    }

    static func normalised(_ row: JSONObject) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (key, value) in row where value != .null { out[key] = value }
        return out
    }
}

extension ScratchPostgres {
    /// A query's rows as JSON (`json_agg` of the query), `[]` when none.
    func rows(_ sql: String) throws -> [JSONValue] {
        let text = try query("SELECT coalesce(json_agg(q), '[]') FROM (\(sql)) q")
        return try JSONParser.parse(Array(text.utf8)).arrayValue ?? []
    }
}
