import AccordJSON
import EventStore
import NIOPosix
import WireProtocol

extension ConnectionHandler {
    /// Answers a query: here when it is cheap, else on NIO's blocking pool
    /// (a query whose cost follows the register's or the log's size must
    /// never hold the event loop every connection on it shares).
    func startQuery(_ sequence: UInt64, _ request: Request) {
        let (operations, role, principal) = (server.operations, role, principal)
        guard Operations.mayBeLong(request.command) else {
            return deliver(sequence, request, Self.answer(request, operations, role: role, principal: principal, server: server))
        }
        queriesInFlight += 1
        let (bound, executor, server) = (bound!, loop.executor!, server)
        server.backgroundWork.submit {
            let answer = Self.answer(request, operations, role: role, principal: principal, server: server)
            executor.execute { bound.value.queryAnswered(sequence, request, answer) }
        }
    }

    private func queryAnswered(_ sequence: UInt64, _ request: Request, _ answer: Answer) {
        queriesInFlight -= 1
        deliver(sequence, request, answer)
        startWaiting()
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
    func deliver(_ sequence: UInt64, _ request: Request, _ answer: Answer) {
        do {
            let auditing = try recordAudit(answer.disclosed, op: request.command.op, requestId: request.id) { handler, result in
                switch result {
                case .success: handler.respond(sequence, answer.bytes)
                case .failure(let error): handler.respond(sequence, handler.server.failure(request.id, op: request.command.op, error))
                }
            }
            if !auditing { respond(sequence, answer.bytes) }
        } catch {
            respond(sequence, server.failure(request.id, op: request.command.op, error))
        }
    }
}
