import AccordJSON
import Logging
import WireProtocol

/// What every connection shares.
struct ServerContext: Sendable {
    let configuration: ServerConfiguration
    let operations: Operations
    let audit: ReadAudit
    let wakeups: WakeupHub
    let connections: ConnectionRegistry
    let logger: Logger

    func infoLine() -> [UInt8] {
        Response.info([
            "server": .string(configuration.serverName), "version": .string(configuration.version), "protocol": 1,
            "maxLineBytes": .integer(Int64(configuration.maxLineBytes)),
            "maxEventsPerAppend": .integer(Int64(operations.store.limits.maxEventsPerAppend)),
            "head": .integer(Int64(operations.store.head)), "authRequired": .bool(!configuration.tokens.isEmpty),
        ])
    }
}
