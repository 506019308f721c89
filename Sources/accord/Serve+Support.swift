import Agreements
import ArgumentParser
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

    /// `--log-level`, refused by name when it is not a level.
    static func logLevel(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text) else {
            throw ValidationError("log level must be trace, debug, info, notice, warning, error or critical")
        }
        return level
    }

    /// `--log-format`: `text` or `json`.
    static func isJSONLogFormat(_ text: String) throws -> Bool {
        guard text == "text" || text == "json" else { throw ValidationError("log format must be text or json; got \(text)") }
        return text == "json"
    }

    /// `/readyz`: ready while the server takes appends (`health` not
    /// `failing`); a replica while it follows within its lag bound.
    static func readiness(_ server: AccordServer) -> (ready: Bool, detail: String) {
        guard let health = try? server.health() else { return (false, "the health check failed\n") }
        let status = health["status"]?.stringValue ?? "failing"
        let problems = (health["problems"]?.arrayValue ?? []).compactMap(\.stringValue)
        // Damage is never served as healthy: a load balancer sends readers elsewhere.
        let ready = status != "failing" && status != "damaged" && health["replication"]?["ready"] != .bool(false)
        return (ready, ([status] + problems).joined(separator: "\n") + "\n")
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
