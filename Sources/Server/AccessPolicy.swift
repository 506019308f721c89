import WireProtocol

/// Which role may run which operation: the one place the matrix is written
/// down (and `protocol/README.md#roles` mirrors it).
///
/// | op | writer | reader | recipient | auditor | admin |
/// |---|---|---|---|---|---|
/// | `ping`, `hello` (also before authenticating) | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | `health`, `checkpoint`, `prove_inclusion`, `prove_consistency` | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | `append` (agreement streams) | ✓ | | | | ✓ |
/// | `append` (other `$` streams) | | | | | ✓ |
/// | `read`, `read_all`, `subscribe`, `unsubscribe`, `position_at` | ✓ | | | ✓ | ✓ |
/// | `agreement` | ✓ | without `history` | its own, without `history` | ✓ | ✓ |
/// | `register`, `law_enforcement_stats`, `export` | ✓ | ✓ | | ✓ | ✓ |
/// | `recipient` | ✓ | | its own | ✓ | ✓ |
/// | `watch`, `unwatch` | ✓ | `register`, `law_enforcement_stats` | its own `recipient` | ✓ | ✓ |
///
/// A recipient's `agreement` is checked against the agreement's recipient
/// when answered (`Operations.agreement`), since only the registry knows it.
enum AccessPolicy {
    /// Allowed before authenticating.
    static let `public`: Set<String> = ["ping", "hello"]
    /// Allowed to every role: the log's signed head and proofs reveal hashes
    /// only, and every client must be able to audit what it was told.
    static let everyRole: Set<String> = ["health", "checkpoint", "prove_inclusion", "prove_consistency"]

    /// `nil` when `role` may run `request`; otherwise why not.
    static func denial(_ request: Request, for role: Role) -> String? {
        let op = request.op
        if Self.public.contains(op) || Self.everyRole.contains(op) { return nil }
        switch role {
        case .admin:
            return nil
        case .writer:
            if op == "append", (try? request.agreementId())?.rawValue.hasPrefix("$") == true {
                return "only an admin may append to a $-stream"
            }
            return nil
        case .auditor:
            return op == "append" ? "an auditor's access is read-only" : nil
        case .reader:
            switch op {
            case "register", "law_enforcement_stats", "export", "unwatch": return nil
            case "agreement": return (try? request.optionalBool("history")) == true ? "a reader may not see event histories" : nil
            case "watch":
                let projection = try? request.string("projection")
                return projection == "register" || projection == "law_enforcement_stats"
                    ? nil : "a reader may watch the register and statistics only"
            default: return "a reader may see the register, statistics and exports only, not \(op)"
            }
        case .recipient(let id):
            switch op {
            case "recipient": return (try? request.string("recipientId")) == id ? nil : "a recipient may see its own view only"
            case "agreement": return (try? request.optionalBool("history")) == true ? "a recipient may not see event histories" : nil
            case "watch":
                let own = (try? request.string("projection")) == "recipient" && (try? request.string("recipientId")) == id
                return own ? nil : "a recipient may watch its own view only"
            case "unwatch": return nil
            default: return "a recipient may see its own view only, not \(op)"
            }
        }
    }
}
