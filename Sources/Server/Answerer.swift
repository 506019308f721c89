import NIOPosix
import WireProtocol

/// Answers the requests that are neither appends nor subscriptions, from a
/// read snapshot, for one connection's principal and role.
///
/// Cheap requests (a ping, a proof, one agreement at the head) are answered
/// on the connection's task. Requests whose cost follows the register's or
/// the log's size (the register, a recipient's view, reads, exports, and any
/// `asOf`/`effectiveAt` replay) run on NIO's blocking thread pool: the
/// threads the connections' tasks share are one per core, and a query
/// holding one for a second would stall every other connection on it; a
/// blocking-pool thread is preempted by the kernel instead.
struct Answerer: Sendable {
    let context: ServerContext
    let role: Role?
    let principal: String

    /// Answers `request`, on the blocking pool when it may be long.
    func answer(_ request: Request) async -> Answer {
        guard Self.mayBeLong(request) else { return answerHere(request) }
        do {
            return try await NIOThreadPool.singleton.runIfActive { answerHere(request) }
        } catch {
            return Answer(context.failure(request, error))
        }
    }

    static func mayBeLong(_ request: Request) -> Bool {
        switch request.op {
        case "ping", "health", "checkpoint", "prove_inclusion", "prove_consistency", "position_at":
            return false
        case "agreement", "law_enforcement_stats":
            return request.members["asOf"] != nil || request.members["effectiveAt"] != nil
        default:
            return true
        }
    }

    func answerHere(_ request: Request) -> Answer {
        let operations = context.operations
        do {
            switch request.op {
            case "ping": return Answer(Response.ok(request.id, operations.ping()))
            case "read": return try operations.read(request, id: request.id)
            case "read_all": return try operations.readAll(request, id: request.id)
            case "register": return Answer(Response.ok(request.id, try operations.register(request)))
            case "agreement", "recipient":
                let (result, disclosed) = try request.op == "agreement" ? operations.agreement(request) : operations.recipient(request)
                if case .recipient(let id)? = role, request.op == "agreement", result["agreement"]?["recipient"]?["id"] != .string(id) {
                    throw WireError(.forbidden, "\(principal) (recipient) may see its own agreements only")
                }
                return Answer(Response.ok(request.id, result), disclosing: disclosed)
            case "law_enforcement_stats": return Answer(Response.ok(request.id, try operations.statistics(request)))
            case "export": return Answer(Response.ok(request.id, try operations.export(request)))
            case "health": return Answer(Response.ok(request.id, try operations.health()))
            case "position_at": return Answer(Response.ok(request.id, try operations.positionAt(request)))
            case "checkpoint": return Answer(Response.ok(request.id, try operations.checkpoint()))
            case "prove_inclusion": return Answer(Response.ok(request.id, try operations.proveInclusion(request)))
            case "prove_consistency": return Answer(Response.ok(request.id, try operations.proveConsistency(request)))
            default: throw WireError(.unknownOp, "unknown operation \"\(request.op)\"")
            }
        } catch {
            return Answer(context.failure(request, error))
        }
    }
}
