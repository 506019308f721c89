import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

/// `accord serve --config FILE`: the same settings as the flags, as one JSON
/// object. A flag given on the command line wins over the file; the file wins
/// over the defaults. Unknown keys are refused, so a typo is not silently ignored.
///
/// ```json
/// {"data": "/srv/accord", "listen": "127.0.0.1:7411", "maxLineBytes": 1048576,
///  "maxConnections": 4096, "mapSizeMiB": 1024, "maxMapSizeGiB": 1024, "logLevel": "info",
///  "origin": "register.example.gov.uk/accord", "checkpointKey": "/srv/accord/checkpoint.key", "checkpointInterval": 5}
/// ```
struct ServeConfiguration: Decodable {
    var data: String?
    var listen: String?
    var maxLineBytes: Int?
    var maxConnections: Int?
    var mapSizeMiB: Int?
    var maxMapSizeGiB: Int?
    var logLevel: String?
    var origin: String?
    var checkpointKey: String?
    var checkpointInterval: Int?
    var tokens: String?
    var metricsListen: String?
    var tlsCertificate: String?
    var tlsKey: String?
    var tlsClientCA: String?
    var maxPendingAppends: Int?
    var maxSubscriptionsPerConnection: Int?
    var idleTimeout: Int?
    var authTimeout: Int?
    var eventLoopThreads: Int?
    var inlineCommitUpTo: Int?
    var gateways: String?
    var logFormat: String?
    var privateTransparency: Bool?
    var follow: String?
    var followKey: String?
    var followTls: Bool?
    var followTlsCA: String?
    var followTlsCertificate: String?
    var followTlsKey: String?
    var maxLagSeconds: Int?
    var maxOutputPerConnection: Int?
    var maxOutputBeforeHello: Int?
    var maxLineBytesBeforeHello: Int?
    var poolJobsPerConnection: Int?
    var queryThreads: Int?
    var foldThreads: Int?
    var auditCoalesceWindow: Int?
    var spinMicroseconds: Int?
    var scrubRate: Int?
    var scrubInterval: Int?
    var peers: [String]?

    static let keys: Set<String> = [
        "data", "listen", "maxLineBytes", "maxConnections", "mapSizeMiB", "maxMapSizeGiB", "logLevel", "origin", "checkpointKey",
        "checkpointInterval", "tokens", "metricsListen", "tlsCertificate", "tlsKey", "tlsClientCA",
        "maxPendingAppends", "maxSubscriptionsPerConnection", "idleTimeout", "authTimeout", "eventLoopThreads", "inlineCommitUpTo",
        "gateways", "logFormat", "privateTransparency", "follow", "followKey", "followTls", "followTlsCA", "followTlsCertificate",
        "followTlsKey", "maxLagSeconds", "maxOutputPerConnection", "maxOutputBeforeHello", "maxLineBytesBeforeHello",
        "poolJobsPerConnection", "queryThreads", "foldThreads", "auditCoalesceWindow", "scrubRate", "scrubInterval", "peers",
        "spinMicroseconds",
    ]

    static func load(_ path: String?) throws -> ServeConfiguration {
        try load(path, keys: keys, empty: ServeConfiguration())
    }
}

extension Decodable {
    /// A command's settings as one JSON object, unknown keys refused by name.
    static func load(_ path: String?, keys: Set<String>, empty: Self) throws -> Self {
        guard let path else { return empty }
        guard let bytes = FileManager.default.contents(atPath: path) else { throw CommandError("cannot read the config file \(path)") }
        do {
            let value = try JSONParser.parse(Array(bytes))
            guard case .object(let members) = value else { throw CommandError("\(path): the config must be one JSON object") }
            if let unknown = members.orderedKeys.first(where: { !keys.contains($0) }) {
                throw CommandError("\(path): unknown setting \"\(unknown)\"; settings are \(keys.sorted().joined(separator: ", "))")
            }
            return try JSONValueDecoder().decode(Self.self, from: value)
        } catch let error as DecodingError {
            throw CommandError("\(path): \(error.explanation)")
        } catch let error as JSONError {
            throw CommandError("\(path): \(error)")
        }
    }
}
