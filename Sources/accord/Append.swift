import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

/// `accord append`: every event carries an id (minted here unless given), so
/// an append whose answer was lost can be sent again safely: the server
/// answers a repeat with `duplicate: true` and writes nothing.
struct Append: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Append events to an agreement: one from flags, or NDJSON events ({type, data, occurredAt?, eventId?}) from --file or stdin.",
        discussion: """
            Each event gets an id (UUIDv7) unless --event-id (or eventId in the file) gives one; the ids are printed \
            with the result. When the answer is lost (a timeout, a dropped connection), the append may have been \
            recorded: the command prints the exact command that retries it with the same ids, which the server \
            answers "already recorded" if it was.
            """)

    @OptionGroup var server: ServerOptions
    @Argument(help: "The agreement id, e.g. DSA-0042.") var agreement: String
    @Option(help: "The event type, e.g. AgreementProposed.") var type: String?
    @Option(help: "The event data, a JSON object.") var data: String?
    @Option(help: "When the fact took effect (RFC 3339).") var occurredAt: String?
    @Option(help: "The event's id (a UUID; default: a new UUIDv7). Give the same id to retry an append safely.") var eventId: String?
    @Option(help: "any, no_stream, exists, or a version.") var expected = "any"
    @Option(help: "Read events from this NDJSON file ('-' for stdin).") var file: String?

    func validate() throws {
        if eventId != nil, type == nil {
            throw ValidationError("--event-id goes with --type and --data; in a file, give each event its eventId")
        }
        if let eventId, UUID(uuidString: eventId) == nil { throw ValidationError("--event-id takes a UUID; got \(eventId)") }
    }

    func run() async throws {
        let events = try withIds(try readEvents())
        let expectedVersion: JSONValue = UInt64(expected).map { .integer(Int64($0)) } ?? .string(expected)
        let request: [String: JSONValue] = [
            "agreementId": .string(agreement), "expectedVersion": expectedVersion, "events": .array(events),
        ]
        let result: JSONValue
        do {
            result = try await server.connect { client in
                do {
                    return try await client.request("append", request)
                } catch {
                    throw MaybeRecorded(error: error)
                }
            }
        } catch let unknown as MaybeRecorded where unknown.outcomeUnknown {
            throw try retryAdvice(unknown.error, events: events)
        } catch let known as MaybeRecorded {
            throw known.error
        }
        if server.json { return server.printJSON(result) }
        let ids = events.compactMap { $0["eventId"]?.stringValue }
        print(
            "appended to \(agreement): positions \(result.cell("positions")), version \(result.cell("streamVersion")), "
                + "event\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", "))"
                + (result["duplicate"] == true ? " (already recorded)" : ""))
    }

    private func readEvents() throws -> [JSONValue] {
        if let type, let data {
            var event: [String: JSONValue] = ["type": .string(type), "data": try JSONParser.parse(data)]
            if let occurredAt { event["occurredAt"] = .string(occurredAt) }
            if let eventId { event["eventId"] = .string(eventId.lowercased()) }
            return [.object(JSONObject(event))]
        }
        let text: String
        if let file, file != "-" {
            guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandError("cannot read \(file)") }
            text = contents
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let events = try text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map { try JSONParser.parse(String($0)) }
        guard !events.isEmpty else { throw ValidationError("give --type and --data, or events on --file or stdin") }
        return events
    }

    private func withIds(_ events: [JSONValue]) throws -> [JSONValue] {
        events.map { event in
            guard case .object(var members) = event else { return event }
            if members["eventId"] == nil { members["eventId"] = .string(UUID.timeOrdered().uuidString.lowercased()) }
            return .object(members)
        }
    }

    /// The failure, with what the operator should know: the append may have
    /// been recorded, and the command that retries it with the same ids.
    private func retryAdvice(_ error: any Error, events: [JSONValue]) throws -> CommandError {
        let (message, status) = Accord.explain(error)
        var arguments = Array(CommandLine.arguments.dropFirst())
        if type != nil {
            arguments = Self.removing("--event-id", from: arguments) + ["--event-id", events.first?["eventId"]?.stringValue ?? ""]
        } else {
            let ids = events.compactMap { $0["eventId"]?.stringValue }
            let retry = FileManager.default.temporaryDirectory.appendingPathComponent("accord-append-\(ids.first ?? "events").ndjson").path
            try PrivateFile.write(Array(events.map { $0.canonicalString + "\n" }.joined().utf8), to: retry, mode: 0o600)
            arguments = Self.removing("--file", from: arguments) + ["--file", retry]
        }
        let command = (["accord"] + arguments).map(Self.shellQuoted).joined(separator: " ")
        let unprefixed = message.map { $0.hasPrefix("error: ") ? String($0.dropFirst(7)) : $0 } ?? "\(error)"
        return CommandError(
            """
            \(unprefixed)
            The append may have been recorded. Retry it with the same event ids; if it was recorded, the server answers \
            "already recorded" and writes nothing:
              \(command)
            """, status: status)
    }

    /// `arguments` without `flag` and its value (either `--flag value` or `--flag=value`).
    static func removing(_ flag: String, from arguments: [String]) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
            } else if argument == flag {
                skipNext = true
            } else if !argument.hasPrefix(flag + "=") {
                kept.append(argument)
            }
        }
        return kept
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = word.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || "-_./:=@,+".utf8.contains(byte)
        }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// A failure once the append request may have left: the outcome is unknown
/// unless the server answered a refusal that writes nothing.
private struct MaybeRecorded: Error {
    let error: any Error

    var outcomeUnknown: Bool {
        switch error {
        case ClientError.server(let code, _, _): code == .internal || code == .unavailable
        case ClientError.timedOut, ClientError.connectionLost: true
        default: false
        }
    }
}
