import ArgumentParser
import CommandSupport
import EventStore
import Foundation
import LMDB
import Registry

/// `--data DIR`: where the LMDB environment lives.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory.")
    var data: String = "./accord-data"

    /// Opens the log read-only, beside a server that may be running.
    func openReadOnly() throws -> EventStore {
        try Self.openReadOnly(data)
    }

    /// Refuses a path that holds no log, so a mistyped `--data` is said, not created.
    static func requireExisting(_ data: String) throws {
        guard FileManager.default.fileExists(atPath: data + "/data.mdb") else {
            throw CommandError("no Accord data directory at \(data) (no data.mdb); pass --data DIR")
        }
    }

    static func openReadOnly(_ data: String) throws -> EventStore {
        try requireExisting(data)
        var options = Environment.Options()
        options.readOnly = true
        return try EventStore(environment: Environment(path: data, options: options), logger: .quiet)
    }

    /// Opens the log and the registry read-only.
    func openRegistryReadOnly() throws -> (EventStore, Registry) {
        let store = try openReadOnly()
        return (store, try Registry(environment: store.environment, logger: .quiet))
    }

    /// Opens the log and registry for writing; only one process may do so.
    func openForWriting(lock: DataDirectoryLock) throws -> (EventStore, Registry) {
        _ = lock
        try EventStore.recoverAfterRestart(directory: data, logger: .quiet)
        let env = try Environment(path: data)
        let registry = try Registry(environment: env, logger: .quiet)
        return (try EventStore(environment: env, hook: registry.hook, logger: .quiet), registry)
    }
}
