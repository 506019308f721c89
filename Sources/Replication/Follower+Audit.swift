import AccordClient
import AccordCore
import AccordJSON
import WireProtocol

extension Follower {
    public func recordAuditedRead(_ read: AuditedReadRequest, completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        if case .terminated = auditIntake.yield((read, completion)) {
            completion(.failure(ReplicationError.unavailable("the replica is shutting down; the read was not audited")))
        }
    }

    /// Records each audited read on the primary, several at once, until shutdown.
    func forwardAudits() async {
        await withDiscardingTaskGroup { group in
            for await (read, completion) in auditQueue {
                group.addTask { completion(await self.forward(read)) }
            }
        }
    }

    /// `audit_read` on the primary (a connection of its own: audited reads
    /// are rare and must not queue behind the copy's pushes), then waits
    /// until the record has been copied here.
    private func forward(_ read: AuditedReadRequest) async -> Result<Void, any Error> {
        var client = configuration.client
        client.reconnect = .never
        client.connectTimeout = min(client.connectTimeout, configuration.auditTimeout)
        client.requestTimeout = configuration.auditTimeout
        let members: [String: JSONValue] = [
            "principal": .string(read.principal), "readOp": .string(read.op), "requestId": read.requestId,
            "records": read.recordsJSON,
        ]
        do {
            let answer = try await AccordClient.connect(client) { client in try await client.request("audit_read", members) }
            guard let position = answer["positions"]?.arrayValue?.first?.int64Value else {
                return .failure(ReplicationError.unavailable("the primary's audit_read answer has no position"))
            }
            guard try await copied(Position(position), within: configuration.auditTimeout) else {
                return .failure(
                    ReplicationError.unavailable(
                        "the primary recorded the audited read at \(position), but this replica did not copy it within \(configuration.auditTimeout)"
                    ))
            }
            return .success(())
        } catch {
            return .failure(
                ReplicationError.unavailable(
                    "this read discloses law-enforcement details and must be audited on the primary \(primary), which did not answer: \(error)"
                ))
        }
    }

    /// Whether the copy reaches past `position` within `limit`.
    private func copied(_ position: Position, within limit: Duration) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await head in self.store.headUpdates() where head > position { return true }
                return false
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
    }
}
