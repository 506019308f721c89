import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// An append is answered once the write-ahead segment holds it, a moment
/// before LMDB applies it; no client can tell: every request that reads
/// the log sees every append acknowledged before it, on any connection.
@Suite struct AcknowledgedReadsTests {
    @Test func everyReadSeesWhatWasAcknowledgedBeforeItOnAnyConnection() async throws {
        let dir = TemporaryDirectory("acknowledged-reads")
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { writer in
                try await AccordClient.connect(port: server.port) { reader in
                    for n in 0..<40 {
                        try await writer.request("append", Requests.append("$noted", Requests.event("Noted", ["n": .integer(Int64(n))])))
                        let head = JSONValue.integer(Int64(n + 1))
                        #expect(try await reader.request("ping")["head"] == head)
                        let page = try await reader.request("read_all", ["from": .integer(Int64(n)), "limit": 10])
                        #expect(page["events"]?.arrayValue?.count == 1, "another connection reads it")
                        #expect(page["head"] == head)
                        let own = try await writer.request("read", ["agreementId": "$noted", "limit": 100])
                        #expect(own["events"]?.arrayValue?.count == n + 1, "the appending connection reads it")
                    }
                    // A subscription started after an acknowledgement pushes it.
                    try await reader.request("subscribe", ["from": .integer(39)])
                    var pushes = reader.pushes.makeAsyncIterator()
                    let first = await pushes.next()
                    #expect(first?["event"]?["position"] == 39)
                }
            }
        }
    }
}
