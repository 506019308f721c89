import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import CoreMetrics
import Foundation
import Logging
import Testing

@testable import Server

/// The background check: bounded in rate, and clean on a whole store.
@Suite struct ScrubTests {
    let dir = TemporaryDirectory("scrub")

    @Test func aPassIsBoundedByItsRateAndFindsAWholeStoreWhole() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                for batch in 0..<10 {
                    let events: [JSONValue] = (0..<1_000).map { n in Requests.event("Noted", ["n": .integer(Int64(batch * 1_000 + n))]) }
                    try await client.request("append", ["agreementId": "$scrub", "events": .array(events)])
                }
            }
            var settings = StoreScrub.Settings()
            settings.eventsPerSecond = 20_000
            settings.step = 1_000
            let scrub = StoreScrub(
                store: server.store, registry: server.registry, checkpoints: server.checkpointer, damage: StoreDamage(), settings: settings,
                logger: Logger(label: "test"))
            let clock = ContinuousClock()
            let started = clock.now
            let report = try await scrub.pass(metrics: ServerMetrics(factory: NOOPMetricsHandler.instance))
            let took = clock.now - started
            #expect(report.events == 10_000 && !report.isDamaged, "\(report.findings)")
            // 10,000 events at 20,000 a second: at least nine steps' worth of waiting.
            #expect(took >= .milliseconds(400), "the pass took \(took)")
        }
    }
}
