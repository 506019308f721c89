import Foundation

/// Where the sink writes: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|require]`
/// (`postgresql://` too). The password may instead come from `PGPASSWORD`,
/// so it need not appear in a process listing or a unit file.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// `require`: TLS with the system's trusted roots; `disable` (default): none.
    public var requireTLS: Bool

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SinkError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw .configuration("--postgres takes postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE; got \(Self.redacted(text))")
        }
        guard let host = url.host, !host.isEmpty else { throw .configuration("--postgres names no host: \(Self.redacted(text))") }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = url.port ?? 5432
        user = url.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? "postgres"
        password = url.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        switch url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable" {
        case "disable": requireTLS = false
        case "require", "verify-full": requireTLS = true
        case let other:
            throw .configuration("sslmode \(other) is not supported: use disable or require (verified against the system's roots)")
        }
    }

    /// The URL without its password, for logs and status lines.
    public var description: String {
        "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)\(requireTLS ? "?sslmode=require" : "")"
    }

    private static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? text
    }
}
