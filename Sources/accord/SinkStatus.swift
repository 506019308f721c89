import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation
import Logging
import ReportingSink

/// `accord sink status`: how far a PostgreSQL copy is behind the server.
struct SinkStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show how far a PostgreSQL copy is behind the server.",
        discussion: """
            Reads sink_state and the tables' row counts from PostgreSQL and the head from the server, and checks that \
            the server's log is the one copied (its origin, and a tree that extends the copied one). Exit status 0 \
            when the copy is current (or behind for less than --max-lag seconds); 1 when it is further behind, when \
            the server is behind the copy (it holds fewer events than the copy reflects: a server restored from an \
            older backup, or another server), or when the logs differ; 3 when PostgreSQL or the server does not answer.
            """)

    @Option(help: "The server, HOST:PORT (default: $ACCORD_SERVER, else 127.0.0.1:7411).") var server: String?
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.") var postgres: String
    @Option(help: "The PostgreSQL schema of the copy (default accord).") var schema = "accord"
    @Option(help: "Seconds a copy may stay behind the server's head before the status is behind (default 60).")
    var maxLag: Double = 60
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        let url = try PostgresURL(postgres)
        var logger = Logger(label: "accord.sink.status")
        logger.logLevel = .critical
        let copy: PostgresSink.Copy
        do {
            copy = try await PostgresSink.copy(at: url, schema: schema, logger: logger)
        } catch let error as SinkError {
            throw CommandError(error.description, status: .checkFailed)
        } catch {
            throw CommandError("\(url): \(PostgresSink.describe(error))", status: .noAnswer)
        }
        let state = copy.state
        let quiet = logger
        let (head, mismatch) = try await AccordClient.connect(
            try connection.configuration(endpoint: ConnectionOptions.endpoint(server)),
            { client in
                let head = try await client.ping()
                guard head >= state.position else { return (head, nil as String?) }
                do {
                    _ = try await LogIdentity.check(state, client: client, logger: quiet)
                    return (head, nil)
                } catch let error as SinkError {
                    return (head, error.description)
                }
            })
        let behind = head > state.position ? head - state.position : 0
        let now = Timestamp.now()
        let sinceApplied = state.appliedAt.map { Double(now.microseconds - $0.microseconds) / 1e6 }
        let lagSeconds = zip2(state.appliedAt, state.recordedAt).map { Double($0.microseconds - $1.microseconds) / 1e6 }
        let serverBehind = head < state.position
        let current = (behind == 0 || (sinceApplied ?? .infinity) < maxLag) && !serverBehind && mismatch == nil
        let status = serverBehind ? "server_behind" : mismatch != nil ? "mismatched" : current ? "ok" : "behind"
        if json {
            var members: [String: JSONValue] = [
                "status": .string(status), "schema": .string(schema), "schemaVersion": .integer(Int64(state.schemaVersion)),
                "position": .integer(Int64(state.position)), "head": .integer(Int64(head)), "behind": .integer(Int64(behind)),
                "eventsApplied": .integer(state.eventsApplied),
                "rows": .object(JSONObject(Dictionary(uniqueKeysWithValues: copy.rows.map { ($0.table, .integer($0.count)) }))),
            ]
            members["origin"] = state.origin.map(JSONValue.string)
            members["root"] = state.root.map(JSONValue.string)
            members["recordedAt"] = state.recordedAt.map { .string($0.rfc3339) }
            members["appliedAt"] = state.appliedAt.map { .string($0.rfc3339) }
            members["lagSeconds"] = lagSeconds.map(JSONValue.double)
            members["requestsPosition"] = state.requestsPosition.map { .integer(Int64($0)) }
            members["problem"] = problem(serverBehind: serverBehind, head: head, position: state.position, mismatch: mismatch).map(
                JSONValue.string)
            print(JSONValue.object(JSONObject(members)).canonicalString)
        } else {
            Table(
                columns: ["status", "position", "head", "behind", "last applied", "lag", "events applied"],
                rows: [
                    [
                        status, "\(state.position)", "\(head)", "\(behind)", sinceApplied.map { secondsText($0) + " ago" } ?? "never",
                        lagSeconds.map(secondsText) ?? "-", "\(state.eventsApplied)",
                    ]
                ]
            ).print()
            print("schema \(schema) (version \(state.schemaVersion)) in \(url); log \(state.origin ?? "-") root \(state.root ?? "-")")
            print("rows: " + copy.rows.map { "\($0.table) \($0.count)" }.joined(separator: ", "))
            print("requests: " + (state.requestsPosition.map { "copied up to position \($0)" } ?? "not copied"))
            if let problem = problem(serverBehind: serverBehind, head: head, position: state.position, mismatch: mismatch) {
                print("problem: \(problem)")
            }
        }
        if !current { throw ExitCode(1) }
    }

    private func problem(serverBehind: Bool, head: Position, position: Position, mismatch: String?) -> String? {
        if serverBehind {
            return "the server holds \(head) events but the copy reflects \(position): it is not the server this copy follows, "
                + "or it was restored from an older backup; the sink will not follow it"
        }
        return mismatch
    }

    private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
        guard let a, let b else { return nil }
        return (a, b)
    }
}
