import WireProtocol

/// Which role may run which operation: the one place the matrix is written
/// down (and `protocol/README.md#roles` mirrors it).
///
/// | op | writer | reader | recipient | auditor | admin |
/// |---|---|---|---|---|---|
/// | `ping`, `hello` (also before authenticating) | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | `checkpoint`, `prove_inclusion`, `prove_consistency`, `gateways` (also before authenticating, unless `privateTransparency`) | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | `health` | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | `append` (agreement streams) | ✓ | | | | ✓ |
/// | `append` (other `$` streams; never `$audit` or `$keys`, `ConnectionHandler.reservedStreams`) | | | | | ✓ |
/// | `connections`, `disconnect` | | | | | ✓ |
/// | `read`, `read_all`, `subscribe`, `unsubscribe`, `position_at` | ✓ | | | ✓ | ✓ |
/// | `agreement` | ✓ | without `history` | its own, without `history` | ✓ | ✓ |
/// | `register`, `law_enforcement_stats`, `export` | ✓ | ✓ | | ✓ | ✓ |
/// | `recipient` | ✓ | | its own | ✓ | ✓ |
/// | `watch`, `unwatch` | ✓ | `register`, `law_enforcement_stats` | its own `recipient` | ✓ | ✓ |
/// | `audit_read`, `read_records` | | | | | ✓ |
/// | `publish_edition` | | | | ✓ | ✓ |
///
/// The `replica` role may `read`, `read_all`, `subscribe`, `unsubscribe`,
/// `position_at`, `audit_read` and `read_records` (besides the operations
/// for every role), and nothing else; only it and admin may `audit_read`
/// and `read_records`.
///
/// A recipient's `agreement` is checked against the agreement's recipient
/// when answered (`Operations.agreement`), since only the registry knows it.
enum AccessPolicy {
    /// Whether `command` is allowed before authenticating. The signed head,
    /// proofs and gateway catalogue reveal hashes, sizes and public law only
    /// (as a Certificate Transparency log's do), so anyone may audit the log
    /// unless the deployment keeps them private.
    static func isPublic(_ command: Command, privateTransparency: Bool) -> Bool {
        switch command {
        case .ping, .hello: true
        case .checkpoint, .proveInclusion, .proveConsistency, .gateways: !privateTransparency
        default: false
        }
    }

    /// Allowed to every role: the log's signed head and proofs reveal hashes
    /// only, and every client must be able to audit what it was told; the
    /// gateway catalogue is public law.
    static func isForEveryRole(_ command: Command) -> Bool {
        switch command {
        case .health, .checkpoint, .proveInclusion, .proveConsistency, .gateways: true
        default: false
        }
    }

    /// `nil` when `role` may run `command`; otherwise why not.
    static func denial(_ command: Command, for role: Role) -> String? {
        if isPublic(command, privateTransparency: false) || isForEveryRole(command) { return nil }
        let op = command.op
        switch command {
        case .connections, .disconnect: if role != .admin { return "only an admin may see or close connections" }
        case .check, .rebuild: if role != .admin { return "only an admin may check or rebuild the store" }
        case .fence: return role == .admin || role == .replica ? nil : "only an admin or a promoted replica may fence a primary"
        case .auditRead: return role == .replica || role == .admin ? nil : "only a replica records audited reads for its clients"
        case .readRecords: return role == .replica || role == .admin ? nil : "only a replica copies the log's stored records"
        case .publishEdition: return role == .admin || role == .auditor ? nil : "only an admin or an auditor puts an edition on the record"
        default: break
        }
        switch role {
        case .replica:
            switch command {
            case .read, .readAll, .subscribe, .unsubscribe, .positionAt: return nil
            default: return "a replica token may copy the log only, not \(op)"
            }
        case .admin:
            return nil
        case .writer:
            if case .append(let append) = command, append.agreementId.isSystem { return "only an admin may append to a $-stream" }
            return nil
        case .auditor:
            if case .append = command { return "an auditor's access is read-only" }
            return nil
        case .reader:
            switch command {
            case .register, .lawEnforcementStats, .export, .unwatch: return nil
            case .agreement(let query): return query.includeEvents ? "a reader may not see event histories" : nil
            case .watch(let watch):
                for projection in watch.projections {
                    if case .recipient = projection { return "a reader may watch the register and statistics only" }
                }
                return nil
            default: return "a reader may see the register, statistics and exports only, not \(op)"
            }
        case .recipient(let id):
            switch command {
            case .recipient(let query): return query.recipientId == id ? nil : "a recipient may see its own view only"
            case .agreement(let query): return query.includeEvents ? "a recipient may not see event histories" : nil
            case .watch(let watch): return watch.projections == [.recipient(id)] ? nil : "a recipient may watch its own view only"
            case .unwatch: return nil
            default: return "a recipient may see its own view only, not \(op)"
            }
        }
    }
}
