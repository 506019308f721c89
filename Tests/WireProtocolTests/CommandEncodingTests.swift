import AccordCore
import AccordJSON
import Foundation
import Testing
import WireProtocol

/// A client builds the same typed commands the server decodes: every
/// command's members decode back to an equal command.
@Suite struct CommandEncodingTests {
    static func roundTrips(_ command: Command) -> Bool {
        let line = command.request(id: "r").canonicalBytes
        let decoded = line.withUnsafeBytes { raw in try? Request.decode(raw) }
        return decoded?.command == command && decoded?.id == "r"
    }

    /// Every operation, with its members set and left at their defaults.
    @Test func everyOperationRoundTrips() throws {
        let time = try #require(Timestamp(rfc3339: "2025-03-01T12:00:00.123456Z"))
        let date = try #require(CalendarDate("2025-03-01"))
        let stream = try StreamName("DSA-0042")
        let selection = EventSelection(types: ["AgreementApproved", "AgreementProposed"], agreementId: stream, recipientId: "R-1")
        let event = WireEvent(
            eventId: UUID(), type: "AgreementRevoked", data: try CanonicalJSON(["reason": "r", "n": 1, "list": [true, nil]]),
            metadata: try CanonicalJSON(["source": "case-system"]), occurredAt: time)
        let filter = RegisterFilter(
            status: .inForce, recipientId: "R-1", category: .police, gatewayId: "g", expiringWithinDays: 30, reviewDue: true)
        let commands: [Command] = [
            .ping, .health, .gateways, .connections, .check, .rebuild,
            .hello(token: "t", client: nil), .hello(token: nil, client: "case-system"),
            .append(AppendCommand(agreementId: stream, events: [event])),
            .append(
                AppendCommand(agreementId: stream, expected: .exact(3), events: [WireEvent(eventId: UUID(), type: "T", data: .emptyObject)])
            ),
            .append(AppendCommand(agreementId: stream, expected: .noStream, events: [])),
            .read(ReadCommand(agreementId: stream)), .read(ReadCommand(agreementId: stream, from: 4, direction: .backward, limit: 7)),
            .readAll(ReadAllCommand()), .readAll(ReadAllCommand(from: 9, direction: .backward, limit: 1_000, selection: selection)),
            .subscribe(SubscribeCommand()), .subscribe(SubscribeCommand(from: .start, selection: selection)),
            .subscribe(SubscribeCommand(from: .position(12))),
            .unsubscribe(name: "s1"), .unwatch(name: "w1"),
            .watch(WatchCommand(projections: [.register])),
            .watch(WatchCommand(projections: [.recipient("R-1")], on: date, since: 5, progress: true)),
            .watch(WatchCommand(projections: [.register, .statistics], tagged: true)),
            .register(RegisterQuery()), .register(RegisterQuery(history: .position(10), on: date, filter: filter)),
            .register(RegisterQuery(history: .recordedAt(time))), .register(RegisterQuery(history: .effectiveAt(time))),
            .agreement(AgreementQuery(agreementId: stream, includeEvents: true)),
            .recipient(RecipientQuery(recipientId: "R-1", history: .position(3), on: date)),
            .lawEnforcementStats(StatisticsQuery(periodKind: .quarter, requesterType: .police)),
            .export(ExportQuery(table: .statistics, history: .effectiveAt(time), on: date)),
            .checkpoint(treeSize: nil), .checkpoint(treeSize: 7), .proveInclusion(position: 3, treeSize: 9),
            .proveConsistency(oldSize: 2, newSize: nil), .positionAt(recordedAt: time), .disconnect(connection: 4),
            .auditRead(AuditedReadRequest(principal: "p", op: "read", requestId: 5, records: [.init(agreementId: "DSA-1", position: 2)])),
            .readRecords(from: 0, limit: 10_000, maxBytes: 1 << 20),
            .fence(epoch: 3, primary: "127.0.0.1:7400", reason: "promoted"), .fence(epoch: 2, primary: nil, reason: nil),
            .publishEdition(
                EditionRecord(treeSize: 5, root: "cm9vdA==", manifestSHA256: String(repeating: "a", count: 64), editionDate: date)),
        ]
        #expect(Set(commands.map(\.op)) == Set(Command.operations), "every operation is covered")
        for command in commands { #expect(Self.roundTrips(command), "\(command)") }
    }

    /// Every request of the example sessions: decoded, encoded again, decoded equal.
    @Test func everyExampleRequestRoundTrips() throws {
        var count = 0
        for request in try ErrorMessageTests.exampleRequests() {
            let line = JSONValue.object(request).canonicalBytes
            guard let command = line.withUnsafeBytes({ raw in try? Request.decode(raw) })?.command else { continue }
            #expect(Self.roundTrips(command), "\(command)")
            count += 1
        }
        #expect(count > 50)
    }
}
