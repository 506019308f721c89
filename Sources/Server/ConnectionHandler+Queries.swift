import AccordJSON
import EventStore
import WireProtocol

extension ConnectionHandler {
    /// Answers a query: here when it is cheap, else on a blocking-pool lane
    /// (a query whose cost follows the register's or the log's size must
    /// never hold the event loop every connection on it shares).
    func startQuery(_ ticket: Ticket, _ request: Request) {
        let (operations, role, principal, server) = (server.operations, role, principal, server)
        guard let lane = Operations.lane(request.command) else {
            return deliver(ticket, Self.answer(request, operations, role: role, principal: principal, server: server))
        }
        let onLoop = onLoop
        server.backgroundWork.submit(lane) {
            let answer = Self.answer(request, operations, role: role, principal: principal, server: server)
            onLoop { $0.deliver(ticket, answer) }
        }
    }

    private static func answer(
        _ request: Request, _ operations: Operations, role: Role?, principal: String, server: ServerContext
    ) -> Answer {
        do {
            // Without tokens every connection acts as an admin, but no role was granted: queries see none.
            let granted = server.credentials.requiresAuthentication ? role : nil
            return try operations.answer(request, role: granted, principal: principal)
        } catch {
            return Answer(server.failure(request.id, op: request.command.op, error))
        }
    }

    /// Sends an answer; one that discloses law-enforcement details only once
    /// its `AuditedRead` is durable (fail closed: if the audit fails, the
    /// details are not sent).
    func deliver(_ ticket: Ticket, _ answer: Answer) {
        guard !state.isClosed else { return finish(ticket, []) }
        do {
            let auditing = try recordAudit(answer.disclosed, op: ticket.op, requestId: ticket.id) { handler, result in
                switch result {
                case .success: handler.finish(ticket, answer.bytes)
                case .failure(let error): handler.finish(ticket, handler.server.failure(ticket.id, op: ticket.op, error))
                }
            }
            if !auditing { finish(ticket, answer.bytes) }
        } catch {
            finish(ticket, server.failure(ticket.id, op: ticket.op, error))
        }
    }
}
