import AccordClient
import AccordCore
import AccordJSON
import ArgumentParser
import CommandSupport
import Foundation

/// Subscribers and watchers following live while appends arrive at a fixed
/// rate: what one pushed event costs the server, and how long it takes to
/// reach each follower.
struct FanoutBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Live subscribers (and watchers) while appends arrive at a fixed rate: pushes/s, server CPU per push, latency.",
        discussion: """
            Runs twice on the same server: appends at --rate with no follower, then with --subscribers subscriptions \
            (from the end) and --watchers register watches. Server CPU per pushed event is the server process's user \
            plus system time of the second run, minus the first's, over the pushes. Latency runs from an append's \
            acknowledgement (as the appender saw it) to the event's arrival at each subscriber. With watchers, each \
            append amends one agreement, so every step of a watch (the appends of one commit) pushes that agreement's \
            row to each watcher (watch_rows counts them); without, it appends a --size event to a system stream.
            """)

    @Option(help: "The server, HOST:PORT; omit to start one on a temporary data folder.") var server: String?
    @Option(help: "Live subscribers.") var subscribers = 50
    @Option(help: "Register watchers.") var watchers = 0
    @Option(help: "Appends per second (one event each).") var rate = 2_000
    @Option(help: "Seconds of appending per run.") var seconds: Double = 10
    @Option(help: "Bytes of JSON data per event.") var size = 400
    @Flag(help: "Print one line per measurement: name key=value ….") var summary = false

    func validate() throws {
        guard subscribers >= 0, watchers >= 0, subscribers + watchers > 0 else { throw ValidationError("follow with at least one") }
        guard rate > 0, seconds > 0 else { throw ValidationError("--rate and --seconds must be positive") }
    }

    func run() async throws {
        let report = BenchReport(summary: summary)
        let spawned = server == nil ? try SpawnedServer.start() : nil
        defer { spawned?.stop() }
        let (host, port) = try Endpoint.parse(server ?? spawned!.endpoint)
        guard let process = ProcessCPU(listeningOn: port) else {
            throw CommandError("accord bench fanout measures the server's CPU: run it on the server's machine")
        }
        report.header(
            "accord bench fanout: \(host):\(port), \(subscribers) subscribers, \(watchers) watchers, \(rate) appends/s of \(size)-byte events for \(fmt(seconds)) s"
        )
        let template = watchers > 0 ? try await Self.watchedAgreement(host: host, port: port, size: size) : try Self.plainEvents(size: size)
        let generator = ProcessCPU(pid: getpid())
        func measure(subscribers: Int, watchers: Int) async throws -> (FanoutRun.Result, cpu: Double, client: Double) {
            let (before, clientBefore) = (process.seconds(), generator.seconds())
            let result = try await FanoutRun(
                host: host, port: port, template: template, subscribers: subscribers, watchers: watchers, rate: rate, seconds: seconds
            ).run()
            return (result, process.seconds() - before, generator.seconds() - clientBefore)
        }
        let (alone, cpuAlone, _) = try await measure(subscribers: 0, watchers: 0)
        report.row(
            "appends_alone",
            [
                "appends_per_s": fmt(Double(alone.appended) / alone.seconds),
                "server_cpu_us_per_append": fmt(cpuAlone * 1e6 / Double(alone.appended), 1),
            ])
        let (fan, cpuFan, cpuClient) = try await measure(subscribers: subscribers, watchers: watchers)
        // The appends' own cost, as measured alone, taken off per append made.
        let extra = cpuFan - cpuAlone / Double(max(1, alone.appended)) * Double(fan.appended + 1)
        func ms(_ p: Double) -> String { fmt(Double(fan.latency.valueAtPercentile(p)) / 1_000, 2) }
        func fromSend(_ p: Double) -> String { fmt(Double(fan.fromSend.valueAtPercentile(p)) / 1_000, 2) }
        report.row(
            "fanout",
            [
                "subscribers": "\(subscribers)", "watchers": "\(watchers)",
                "appends_per_s": fmt(Double(fan.appended) / fan.seconds),
                "pushes_per_s": fmt(Double(fan.pushes) / max(fan.seconds, fan.deliverySeconds)),
                "expected_pushes": "\(fan.appended * subscribers)", "pushes": "\(fan.pushes)", "watch_rows": "\(fan.watchRows)",
                "server_cpu_us_per_push": fan.pushes > 0 ? fmt(extra * 1e6 / Double(fan.pushes), 2) : "-",
                "server_cpu_us_per_push_gross": fan.pushes > 0 ? fmt(cpuFan * 1e6 / Double(fan.pushes), 2) : "-",
                "generator_cpu_us_per_push": fan.pushes > 0 ? fmt(cpuClient * 1e6 / Double(fan.pushes), 2) : "-",
                "p50_ms": ms(50), "p99_ms": ms(99), "p999_ms": ms(99.9),
                "p50_from_send_ms": fromSend(50), "p99_from_send_ms": fromSend(99),
            ])
    }

    /// Events of `size` bytes in a system stream: pushed, never projected.
    static func plainEvents(size: Int) throws -> RequestTemplate {
        RequestTemplate(stream: "$fanout", data: try benchPayload(bytes: size), eventsPerAppend: 1)
    }

    /// Amendments of one agreement, proposed first (if this server has not
    /// got it yet): each changes the agreement's register row, so every
    /// append is a row for each register watcher to receive.
    static func watchedAgreement(host: String, port: Int, size: Int) async throws -> RequestTemplate {
        let id = "DSA-FANOUT"
        let proposal = MixedHistory.lifecycle(0)[0]
        let event: JSONValue = [
            "eventId": .string(UUID.timeOrdered().lowercaseText), "type": .string(proposal.typeName), "data": proposal.data,
        ]
        do {
            try await AccordClient.connect(host: host, port: port) { client in
                _ = try await client.request("append", ["agreementId": .string(id), "expectedVersion": "no_stream", "events": [event]])
            }
        } catch let error as ClientError where error.code == .wrongExpectedVersion {
            // Proposed by an earlier run against the same server.
        }
        let purpose = String(repeating: "p", count: max(1, size - 80))
        let amendment: JSONValue = ["purpose": .string(purpose), "reason": "benchmark", "amendedBy": "accord-bench"]
        return RequestTemplate(stream: id, type: "AgreementAmended", data: try CanonicalJSON(amendment), eventsPerAppend: 1)
    }
}
