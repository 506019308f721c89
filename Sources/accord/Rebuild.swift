import ArgumentParser
import CommandSupport
import Foundation

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the register, recipient views and statistics from the log (with the server stopped).")

    @OptionGroup var dataDirectory: DataDirectoryOptions

    func run() throws {
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
