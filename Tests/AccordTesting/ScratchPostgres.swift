import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL 15 (Debian's postgresql-15) in a temporary folder on a
/// free loopback port, made with `initdb` and run with `pg_ctl`, for the
/// sink's tests and benchmark; as root it runs as the postgres user, as
/// PostgreSQL requires. Whoever needs it and cannot start it fails saying why.
/// Tests run it with `fsync` off (they never crash PostgreSQL itself); the
/// benchmark with PostgreSQL's durable defaults.
public final class ScratchPostgres: Sendable {
    public static let bin = "/usr/lib/postgresql/15/bin"
    public let directory: TemporaryDirectory
    public let port: Int
    private let fsync: Bool

    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }
    private var data: String { directory.child("data") }
    private var asPostgres: [String] { geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : [] }

    public init(fsync: Bool = false) throws {
        self.fsync = fsync
        guard FileManager.default.isExecutableFile(atPath: "\(Self.bin)/postgres") else {
            throw SocketError(message: "PostgreSQL 15 is not installed at \(Self.bin): run ops/setup (it installs postgresql-15)")
        }
        directory = TemporaryDirectory("accord-pg")
        // A loopback port nobody listens on now (bound, read, released).
        port = try SilentListener().port
        if geteuid() == 0 { try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory.path) }
        let initdb = try Command.run(asPostgres + ["\(Self.bin)/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-N"])
        guard initdb.status == 0 else { throw SocketError(message: "initdb failed: \(initdb.output)") }
    }

    /// Starts the server (`pg_ctl start`, which returns once it accepts connections).
    public func start() async throws {
        let options = "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory.path)" + (fsync ? "" : " -c fsync=off")
        let started = try Command.run(
            asPostgres + [
                "\(Self.bin)/pg_ctl", "-D", data, "-l", directory.child("postgres.log"), "-o", options, "-w", "-t", "30", "start",
            ])
        guard started.status == 0 else {
            let log = (try? String(contentsOfFile: directory.child("postgres.log"), encoding: .utf8)) ?? ""
            throw SocketError(message: "PostgreSQL did not start on 127.0.0.1:\(port): \(started.output) \(log)")
        }
    }

    /// The postmaster's process id while it runs (for CPU accounting).
    public var pid: Int32? {
        (try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8))?.split(separator: "\n").first.flatMap { Int32($0) }
    }

    /// A fast shutdown (open transactions rolled back, committed ones kept), waiting for it.
    public func stop() {
        _ = try? Command.run(asPostgres + ["\(Self.bin)/pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "30", "stop"])
    }

    deinit { stop() }

    /// Runs SQL with psql and returns its unaligned output.
    public func query(_ sql: String) throws -> String {
        let result = try Command.run([
            "\(Self.bin)/psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-c", sql,
        ])
        guard result.status == 0 else { throw SocketError(message: "psql: \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
