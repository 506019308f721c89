import ArgumentParser
import EventStore
import LMDB

/// `--data DIR`: where the LMDB environment lives.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory.")
    var data: String = "./accord-data"

    /// Opens the log read-only, beside a server that may be running.
    func openReadOnly() throws -> EventStore {
        var options = Environment.Options()
        options.readOnly = true
        return try EventStore(environment: Environment(path: data, options: options), logger: .quiet)
    }
}
