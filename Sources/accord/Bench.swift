import ArgumentParser
import CommandSupport
import Foundation

/// `accord bench …` runs `accord-bench`, built beside `accord`, with the same
/// arguments: the benchmarks and the peers' wire clients are a separate
/// executable so that the server's binary holds none of them.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Measure throughput and latency (server, fanout, sink, replica, store, registry, proofs, compare, publish); runs accord-bench.")

    @Argument(parsing: .captureForPassthrough, help: "A benchmark and its options; `accord bench --help` lists them.")
    var arguments: [String] = []

    func run() throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let binary = here.appendingPathComponent("accord-bench").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw CommandError(
                "accord bench runs accord-bench, which is not beside accord at \(here.path); build it: swift build -c release --product accord-bench"
            )
        }
        let argv = [binary] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(binary, &cArguments)
        throw CommandError("could not run \(binary): \(String(cString: strerror(errno)))")
    }
}
