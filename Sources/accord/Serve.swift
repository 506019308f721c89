import ArgumentParser
import EventStore
import Foundation
import LMDB
import Logging
import Registry
import Server
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Accord server.")

    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "HOST:PORT to listen on; port 0 picks a free port.") var listen = "127.0.0.1:7411"
    @Option(help: "The longest request line, in bytes.") var maxLineBytes = 1 << 20
    @Option(help: "Open connections at most; more are told overloaded and closed.") var maxConnections = 4_096
    @Option(help: "The initial LMDB map size, in MiB (it grows on demand).") var mapSizeMiB = 1_024
    @Option(help: "The largest the map may grow, in GiB.") var maxMapSizeGiB = 1_024
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Option(help: "Once listening, write HOST:PORT to this file (for scripts that start the server on port 0).")
    var readyFile: String?

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "accord")
        let (host, port) = try Self.parse(listen)
        let lock = try DataDirectoryLock(directory: dataDirectory.data)
        var options = Environment.Options()
        options.mapSize = mapSizeMiB << 20
        options.maxMapSize = maxMapSizeGiB << 30
        let env = try Environment(path: dataDirectory.data, options: options)
        let registry = try Registry(environment: env, logger: logger)
        let store = try EventStore(environment: env, hook: registry.hook, logger: logger)
        try registry.attach(store) { done, total in
            logger.notice("rebuilding projections", metadata: ["done": "\(done)", "total": "\(total)"])
        }
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.maxLineBytes = maxLineBytes
        configuration.maxConnections = maxConnections
        let server = AccordServer(configuration: configuration, store: store, registry: registry, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                let address = try await server.listeningAddress()
                let endpoint = "\(address.ipAddress ?? host):\(address.port ?? port)"
                print("accord \(AccordVersion.current) listening on \(endpoint), data in \(dataDirectory.data)")
                fflush(nil)
                if let readyFile { try Data((endpoint + "\n").utf8).write(to: URL(fileURLWithPath: readyFile), options: .atomic) }
            }
            try await tasks.waitForAll()
        }
        withExtendedLifetime(lock) {}
    }

    static func parse(_ listen: String) throws -> (String, Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--listen takes HOST:PORT, such as 127.0.0.1:7411")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}
