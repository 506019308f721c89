import Agreements
import CommandSupport
import Foundation
import Logging
import Server

extension Serve {
    /// Logs to standard error, as text or one JSON object a line; once per process.
    static func bootstrapLogging(level: Logger.Level, json: Bool) {
        LoggingSystem.bootstrap { label in
            if json {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// `/readyz`: ready while the server takes appends (`health` not `failing`).
    static func readiness(_ server: AccordServer) -> (ready: Bool, detail: String) {
        guard let health = try? server.health() else { return (false, "the health check failed\n") }
        let status = health["status"]?.stringValue ?? "failing"
        let problems = (health["problems"]?.arrayValue ?? []).compactMap(\.stringValue)
        return (status != "failing", ([status] + problems).joined(separator: "\n") + "\n")
    }

    /// Reads a deployment's own catalogue; a file that does not parse stops the start, naming the file.
    static func loadGateways(_ path: String) throws -> GatewayCatalogue {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw CommandError("cannot read the gateway catalogue \(path)")
        }
        do {
            return try GatewayCatalogue(json: Array(bytes))
        } catch {
            throw CommandError("\(path): \(error.message)")
        }
    }

    /// Loopback addresses, where an unauthenticated server is allowed (protected mode).
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
