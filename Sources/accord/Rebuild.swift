import AccordClient
import ArgumentParser
import CommandSupport
import Foundation
import WireProtocol

struct Rebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the register, recipient views and statistics from the log.",
        discussion: """
            Offline (--data, the server stopped), or online (--server, an admin token): the server folds the log \
            anew while appends wait, and stores the projections (what mends a projection `accord check` found damaged).
            """)

    @OptionGroup var dataDirectory: DataDirectoryOptions
    @Option(help: "Rebuild online on this server (HOST:PORT); needs an admin token.") var server: String?
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        if let server {
            let configuration = try connection.configuration(endpoint: server, clientName: "accord-rebuild")
            let answer = try await AccordClient.connect(configuration) { try await $0.send(.rebuild) }
            print(
                "rebuilt projections from \(answer["position"]?.int64Value ?? 0) events in \(fmt(answer["seconds"]?.doubleValue ?? 0, 2)) s"
            )
            return
        }
        let lock = try DataDirectoryLock(directory: dataDirectory.data, create: false)
        let (store, registry) = try dataDirectory.openForWriting(lock: lock)
        let start = ContinuousClock.now
        try registry.rebuild(store) { done, total in
            Progress.show("rebuilt \(done)/\(total) events", done: done == total)
        }
        let seconds = (ContinuousClock.now - start).seconds
        print("rebuilt projections from \(store.head) events in \(fmt(seconds, 2)) s")
        store.close()
    }
}
