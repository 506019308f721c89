import AccordClient
import AccordCore
import AccordJSON
import AccordTesting
import Foundation
import Server
import Testing

/// Clients that vanish at the worst moment: the server stays up, serves
/// everyone else, and keeps every append it acknowledged.
@Suite struct HostilePeerTests {
    let dir = TemporaryDirectory("hostile")

    /// One pipelined line of the mix, by kind: appends, audited reads,
    /// history folds, watches and subscriptions.
    static func line(_ kind: Int, connection: Int, index: Int) -> String {
        switch kind {
        case 0, 1:
            let event = Requests.event("Noted", ["n": .integer(Int64(index))], id: UUID.timeOrdered().uuidString.lowercased())
            return #"{"id":"a\#(index)","op":"append","agreementId":"$f\#(connection)","events":[\#(event.canonicalString)]}"#
        case 2: return #"{"id":\#(index),"op":"read_all","limit":10}"#
        case 3: return #"{"id":\#(index),"op":"agreement","agreementId":"DSA-1","history":true}"#
        case 4: return #"{"id":\#(index),"op":"recipient","recipientId":"R-POL-1"}"#
        case 5: return #"{"id":\#(index),"op":"watch","projection":"register"}"#
        case 6: return #"{"id":\#(index),"op":"subscribe","from":"start"}"#
        case 7: return #"{"id":\#(index),"op":"register","asOf":2}"#
        default: return #"{"id":\#(index),"op":"ping"}"#
        }
    }

    /// One connection: a hello as some role, a pipelined mix, a few answers
    /// read (or none), then a reset or an ordinary close, possibly mid-line.
    /// Returns the streams whose appends were acknowledged, with how many.
    /// Every fiftieth connection is an admin that reads every answer before
    /// it vanishes, so that some appends are always acknowledged.
    static func vanish(port: Int, connection: Int, tokens: [String], writer: String) async throws -> (stream: String, acknowledged: Int)? {
        var random = SplitMix64(seed: UInt64(connection))
        let socket = try LineSocket(port: port)
        if connection % 50 == 0 {
            var text = #"{"id":"h","op":"hello","token":"\#(writer)"}"# + "\n"
            for index in 0..<3 { text += line(0, connection: connection, index: index) + "\n" }
            try await socket.send(text + #"{"id":"last","op":"ping"}"# + "\n")
            var lines: [String] = []
            while let line = await socket.readLine(), !line.hasPrefix(#"{"id":"last""#) { lines.append(line) }
            if random.next() % 2 == 0 { socket.reset() } else { socket.finish() }
            return ("$f\(connection)", lines.filter { $0.hasPrefix(#"{"id":"a"#) && $0.contains(#""ok":true"#) }.count)
        }
        let token = tokens[Int(random.next() % UInt64(tokens.count))]
        var text = #"{"id":"h","op":"hello","token":"\#(token)"}"# + "\n"
        for index in 0..<Int(1 + random.next() % 8) {
            text += line(Int(random.next() % 9), connection: connection, index: index) + "\n"
        }
        var bytes = Array(text.utf8)
        if random.next() % 4 == 0 { bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count)))) }
        try await socket.send(bytes)
        var lines: [String] = []
        switch random.next() % 3 {
        case 0: break
        case 1: lines = socket.readAvailable()
        default:
            for _ in 0..<Int(random.next() % 6) {
                guard let line = await socket.readLine(timeout: .milliseconds(200)) else { break }
                lines.append(line)
            }
        }
        if random.next() % 2 == 0 { socket.reset() } else { socket.finish() }
        let acknowledged = lines.filter { $0.hasPrefix(#"{"id":"a"#) && $0.contains(#""ok":true"#) }.count
        return acknowledged > 0 ? ("$f\(connection)", acknowledged) : nil
    }

    @Test func tenThousandConnectionsClosingAtEveryPointLoseNoAcknowledgedAppend() async throws {
        let (tokenStore, secrets) = try AuthTests.tokens()
        try await TestServer.with(dir, configure: { $0.tokens = tokenStore }) { server in
            var admin = ClientConfiguration(port: server.port)
            admin.token = secrets["admin"]
            try await AccordClient.connect(admin) { client in
                try await client.request("append", Requests.approvedWithAccess("DSA-1"))
            }
            let tokens = Array(secrets.values)
            let acknowledged = Collector<(stream: String, acknowledged: Int)>()
            let workers = 4
            let connections = 10_000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        for connection in stride(from: worker, to: connections, by: workers) {
                            let writer = secrets["admin"] ?? ""
                            if let acked = try await Self.vanish(port: server.port, connection: connection, tokens: tokens, writer: writer)
                            {
                                acknowledged.append(acked)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            for (stream, count) in acknowledged.all {
                #expect(try await server.readable().readStream(StreamName(stream)).count >= count, "\(stream) lost an acknowledged append")
            }
            // Still serving, and still whole.
            try await AccordClient.connect(admin) { client in
                #expect(try await client.request("ping")["head"] == .integer(Int64(try await server.readable().head)))
                let register = try await client.request("register")
                #expect(register["rows"]?.arrayValue?.count == 1)
            }
            #expect(acknowledged.all.reduce(0) { $0 + $1.acknowledged } >= 600, "every patient admin's appends were acknowledged")
        }
    }

    @Test func threeWrongTokensCloseTheConnectionAndARightOneStillWorks() async throws {
        let (tokenStore, secrets) = try AuthTests.tokens()
        try await TestServer.with(dir, configure: { $0.tokens = tokenStore }) { server in
            let guesser = try LineSocket(port: server.port)
            _ = await guesser.readLine()
            let wrong = (1...3).map { #"{"id":\#($0),"op":"hello","token":"acc_guess\#($0)"}"# }.joined(separator: "\n")
            try await guesser.send(wrong + "\n" + #"{"id":4,"op":"ping"}"# + "\n")
            var lines: [String] = []
            while let line = await guesser.readLine() { lines.append(line) }
            #expect(lines.count == 3, "three refusals, then the connection closed: \(lines)")
            #expect(lines.allSatisfy { $0.contains(#""code":"unauthenticated""#) })
            #expect(lines.last?.contains("closing the connection") == true)
            // The address now waits its turn, but a right token is still let in.
            try await AccordClient.connect(ClientConfiguration(port: server.port, token: secrets["reader"])) { client in
                let head = try await client.request("ping")["head"]
                #expect(head == 0)
            }
        }
    }

    @Test func aSecondHelloIsRefusedWithOrWithoutTokens() async throws {
        try await TestServer.with(dir) { server in
            let socket = try LineSocket(port: server.port)
            _ = await socket.readLine()
            try await socket.send(#"{"id":1,"op":"hello","client":"first"}"# + "\n" + #"{"id":2,"op":"hello","client":"second"}"# + "\n")
            #expect(await socket.readLine()?.contains(#""principal":"first""#) == true)
            #expect(await socket.readLine()?.contains(#""code":"forbidden""#) == true)
        }
    }
}
