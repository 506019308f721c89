import AccordCore
import AccordJSON
import EventStore
import Logging
import NIOCore
import WireProtocol

/// What every connection shares.
struct ServerContext: Sendable {
    let configuration: ServerConfiguration
    /// Tokens and TLS as now (reloadable); `configuration` holds what the server started with.
    let credentials: Credentials
    let operations: Operations
    let audit: ReadAudit
    let connections: ConnectionRegistry
    let metrics: ServerMetrics
    let appendGate: AppendGate
    /// The blocking pools' lanes, whose work shutdown waits for before closing the store.
    let backgroundWork: BackgroundWork
    /// Failed `hello`s, server-wide.
    let authThrottle = AuthThrottle()
    /// Open windows of repeated audited reads.
    let auditLedger: AuditLedger
    /// Rows and changes computed once for every watch.
    let watches = WatchCache()
    let logger: Logger

    var store: EventStore { operations.store }

    /// The error line for a failed request: internal errors are logged; every
    /// code is counted.
    func failure(_ id: JSONValue, op: String, _ error: any Error) -> [UInt8] {
        let wire = WireError(error)
        if wire.code == .internal {
            logger.error("request failed", metadata: ["op": "\(op)", "id": "\(id.canonicalString)", "error": "\(error)"])
        } else if wire.code == .damaged, error is EventStoreError {
            // Damaged storage is never served as healthy: health says so until a check finds it whole.
            logger.critical("a read met damaged storage", metadata: ["op": "\(op)", "error": "\(error)"])
            operations.damage.noteRead(wire.message)
        }
        return refusal(id, wire)
    }

    /// An error line, counted by code.
    func refusal(_ id: JSONValue, _ wire: WireError) -> [UInt8] {
        metrics.error(wire.code.rawValue)
        return Response.error(id, wire)
    }

    func infoLine() -> [UInt8] {
        Response.info([
            "server": .string(configuration.serverName), "version": .string(configuration.version), "protocol": 1,
            "maxLineBytes": .integer(Int64(configuration.maxLineBytes)),
            "maxEventsPerAppend": .integer(Int64(operations.store.limits.maxEventsPerAppend)),
            "head": .integer(Int64(operations.store.durableHead)), "authRequired": .bool(credentials.requiresAuthentication),
        ])
    }
}
