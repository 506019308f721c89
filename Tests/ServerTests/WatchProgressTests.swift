import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// `watch` with a list of projections, `since` and `progress`: what a copy
/// that must resume exactly (the PostgreSQL sink) relies on.
@Suite struct WatchProgressTests {
    let dir = TemporaryDirectory("watch-progress")

    @Test func progressMarksCarryTheRootAndRowsAreTagged() async throws {
        try await TestServer.with(dir) { server in
            let socket = try LineSocket(port: server.port)
            _ = await socket.readLine()
            try await socket.send(#"{"id":1,"op":"watch","projection":["register","law_enforcement_stats"],"progress":true}"# + "\n")
            let answer = try JSONParser.parse(Array((await socket.readLine() ?? "").utf8))
            #expect(answer["result"]?["position"] == 0)
            #expect(answer["result"]?["rows"] == ["register": [], "law_enforcement_stats": []])
            #expect(answer["result"]?["root"] == nil, "no root over an empty log")
            try await AccordClient.connect(port: server.port) { client in
                try await client.request("append", Requests.approvedWithAccess("DSA-1"))
            }
            var lines: [JSONValue] = []
            while lines.last?["row"] != nil || lines.isEmpty {
                lines.append(try JSONParser.parse(Array((await socket.readLine() ?? "").utf8)))
            }
            let rows = lines.dropLast()
            #expect(Set(rows.compactMap { $0["projection"]?.stringValue }) == ["register", "law_enforcement_stats"])
            #expect(rows.filter { $0["projection"] == "law_enforcement_stats" }.count == 2, "a month and a quarter")
            let mark = try #require(lines.last)
            #expect(mark["watch"] == "w1" && mark["position"] == 4 && mark["row"] == nil)
            let root = try await server.readable().root(size: 4)
            #expect(mark["root"] == .string(root.base64))
            #expect(mark["recordedAt"]?.stringValue?.hasSuffix("Z") == true)
        }
    }

    @Test func sinceAnswersOnlyTheRowsChangedSinceThePosition() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                try await client.request("append", Requests.approvedWithAccess("DSA-1"))
                try await client.request("append", Requests.approvedWithAccess("DSA-2"))
                let watch = try await client.request("watch", ["projection": "register", "since": 4, "progress": true])
                #expect(watch["position"] == 8)
                #expect(watch["rows"]?.arrayValue?.compactMap { $0["reference"] } == ["DSA-2"])
                #expect(watch["root"] == .string(try await server.readable().root(size: 8).base64))
                let beyond = await Self.code(client, "watch", ["projection": "register", "since": 9])
                #expect(beyond == "bad_request")
                let recipientInList = await Self.code(client, "watch", ["projection": ["register", "recipient"]])
                #expect(recipientInList == "bad_request")
            }
        }
    }

    @Test func theClientDeliversTaggedRowsThenTheMark() async throws {
        try await TestServer.with(dir) { server in
            try await AccordClient.connect(port: server.port) { client in
                try await client.request("append", Requests.approvedWithAccess("DSA-1"))
                let watch = try await client.watch([.register, .lawEnforcementStats], WatchOptions(progress: true))
                var iterator = watch.makeAsyncIterator()
                var messages: [WatchMessage] = []
                while true {
                    let message = try #require(try await iterator.next())
                    messages.append(message)
                    if case .progress = message { break }
                }
                #expect(messages.count == 4, "a register row, two statistics rows, then the mark")
                guard case .progress(let mark) = messages.last else { return }
                #expect(mark.position == 4 && mark.root != nil)
                await watch.cancel()
            }
        }
    }

    static func code(_ client: AccordClient, _ op: String, _ members: [String: JSONValue]) async -> String? {
        do {
            _ = try await client.request(op, members)
            return nil
        } catch ClientError.server(let code, _, _) {
            return code.rawValue
        } catch {
            return "\(error)"
        }
    }
}
