import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import Server
import Testing

/// `connections` and `disconnect`, as an administrator uses them.
@Suite struct ConnectionsTests {
    let dir = TemporaryDirectory("connections")

    @Test func anAdminSeesEveryConnectionAndClosesOne() async throws {
        let (store, secrets) = try AuthTests.tokens()
        try await TestServer.with(dir, configure: { $0.tokens = store }) { server in
            let reader = try LineSocket(port: server.port)
            _ = await reader.readLine()
            try await reader.send(#"{"id":1,"op":"hello","token":"\#(secrets["reader"]!)"}"# + "\n")
            _ = await reader.readLine()
            try await reader.send(#"{"id":2,"op":"watch","projection":"register"}"# + "\n")
            _ = await reader.readLine()
            try await AccordClient.connect(ClientConfiguration(port: server.port, token: secrets["admin"])) { admin in
                let listed = try await admin.request("connections").self["connections"]?.arrayValue ?? []
                #expect(listed.count == 2)
                let dashboard = try #require(listed.first { $0["principal"] == "dashboard" })
                #expect(dashboard["role"] == "reader" && dashboard["watches"] == 1 && dashboard["subscriptions"] == 0)
                #expect(
                    dashboard["since"]?.stringValue?.hasSuffix("Z") == true
                        && dashboard["peer"]?.stringValue?.hasPrefix("127.0.0.1:") == true)
                let number = try #require(dashboard["connection"]?.int64Value)
                let closed = try await admin.request("disconnect", ["connection": .integer(number)])
                #expect(closed["closed"] == true)
                var last = ""
                while let line = await reader.readLine(timeout: .seconds(10)) { last = line }
                #expect(last.contains(#""code":"forbidden""#) && last.contains("an administrator"), "\(last)")
                #expect(await AuthTests.code(admin, "disconnect", ["connection": .integer(number)]) == "not_found")
                let remaining = try await admin.request("connections")["connections"]?.arrayValue ?? []
                #expect(remaining.count == 1)
            }
        }
    }
}
