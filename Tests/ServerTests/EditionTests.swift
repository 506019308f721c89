import AccordClient
import AccordJSON
import AccordTesting
import Foundation
import Testing

/// `accord publish`: an edition from a real log, offline and online,
/// byte-identical each time, checked by `--check`, by standard readers and a
/// real browser (ops/check-edition, ops/check-edition-site), and on the record.
@Suite struct EditionTests {
    let dir = TemporaryDirectory("edition")

    @Test func anEditionIsDeterministicReadableCheckableAndOnTheRecord() async throws {
        try await TestServer.with(TemporaryDirectory("edition-live")) { server in
            try await AccordClient.connect(port: server.port) { try await EditionHistory.append(to: $0) }
            _ = try await server.readable()
            try server.checkpointer.persist()
            let (data, key, size) = (server.store.environment.path, server.checkpointer.key.verifier.text, server.store.head)
            let (a, b, online) = (dir.child("a"), dir.child("b"), dir.child("online"))
            for out in [a, b] {
                let published = try runAccord(["publish", "--data", data, "--key", key, "--out", out])
                #expect(published.status == 0, "\(published.stdout)\(published.stderr)")
                #expect(published.stdout.contains("not on the record"))
            }
            #expect(try Self.files(a) == Self.files(b), "the same prefix gives byte-identical files")
            // A publish killed half-way leaves only a hidden staging folder, which the next one clears.
            let stale = dir.child(".c.partial-99999")
            try FileManager.default.createDirectory(atPath: stale + "/agreements", withIntermediateDirectories: true)
            #expect(try runAccord(["publish", "--data", data, "--key", key, "--out", dir.child("c")]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: stale))
            #expect(try Self.files(dir.child("c")) == Self.files(a))
            #expect(try Self.files(a).keys.contains("agreements/DSA-ODD_20_221_22_2C_20_C3_A9.html"))
            let register = try String(contentsOfFile: a + "/dsap-approved-shares.csv", encoding: .utf8)
            #expect(register.contains("\"  Fish & \"\"chips\"\", <b>bold</b>\u{2409}and\nnew line  \u{2401}é 漢字 🚀  \""))
            #expect(!register.contains("DSA-REJ-1"), "a rejected application is not a share")
            let police = try String(contentsOfFile: a + "/police-and-criminal-investigation-authorities.csv", encoding: .utf8)
            #expect(police.contains("2025-03-01,police,Metropolitan Police Service,2,2,0,0,2002,2002,2002"), "subjects, not only requests")
            #expect(try String(contentsOfFile: a + "/court-orders.csv", encoding: .utf8).contains("Family Court at Leeds"))
            #expect(try String(contentsOfFile: a + "/pre-2018-npd-shares-still-held.csv", encoding: .utf8).contains("NPD-2016-7"))
            #expect(!(try String(contentsOfFile: a + "/index.html", encoding: .utf8)).contains("<b>bold</b>"), "markup is escaped")

            #expect(try runAccord(["publish", "--data", data, "--key", key, "--check", a]).status == 0)
            let csv = a + "/home-office.csv"
            let changed = try String(contentsOfFile: csv, encoding: .utf8).replacingOccurrences(of: ",150,", with: ",151,")
            try changed.write(toFile: csv, atomically: true, encoding: .utf8)
            let check = try runAccord(["publish", "--data", data, "--key", key, "--check", a])
            #expect(
                check.status == 1 && check.stdout.contains("home-office.csv: differs") && check.stdout.contains("151"), "\(check.stdout)")

            // Online, of the same checkpoint: the same bytes, and on the record once.
            let endpoint = "127.0.0.1:\(server.port)"
            let first = try runAccord(["publish", "--server", endpoint, "--as-of", "\(size)", "--out", online])
            #expect(first.status == 0 && first.stdout.contains("recorded as EditionPublished"), "\(first.stdout)\(first.stderr)")
            #expect(try Self.files(online) == Self.files(b), "online and offline editions of one checkpoint are identical")
            let again = try runAccord(["publish", "--server", endpoint, "--as-of", "\(size)", "--out", online])
            #expect(again.stdout.contains("already holds this edition") && again.stdout.contains("(already recorded)"), "\(again.stdout)")
            let verified = try runAccord(["verify", "--edition", online, "--server", endpoint, "--key", key])
            #expect(verified.status == 0 && verified.stdout.contains("ok      on the record"), "\(verified.stdout)\(verified.stderr)")
            try server.checkpointer.persist()
            #expect(try runAccord(["verify", "--edition", online, "--data", data, "--key", key]).status == 0)

            let workbook = online + "/register.xlsx"
            var bytes = try Data(contentsOf: URL(fileURLWithPath: workbook))
            bytes[bytes.count / 2] ^= 1
            try bytes.write(to: URL(fileURLWithPath: workbook))
            let tampered = try runAccord(["verify", "--edition", online, "--server", endpoint, "--key", key])
            #expect(tampered.status == 1 && tampered.stdout.contains("FAILED  files: changed since published: register.xlsx"))
            try await Self.readers(b)
        }
    }

    @Test func theChangesSinceThePreviousEditionNameCorrectionsAndTheirPositions() async throws {
        let other = dir.child("other")
        try await TestServer.with(TemporaryDirectory("edition-other")) { server in
            try await AccordClient.connect(port: server.port) { client in
                try await client.request("append", Requests.approvedWithAccess("DSA-ELSEWHERE"))
            }
            try server.checkpointer.persist()
            let key = server.checkpointer.key.verifier.text
            #expect(try runAccord(["publish", "--data", server.store.environment.path, "--key", key, "--out", other]).status == 0)
        }
        try await TestServer.with(TemporaryDirectory("edition-quarters")) { server in
            let (data, key) = (server.store.environment.path, server.checkpointer.key.verifier.text)
            let (q1, q2) = (dir.child("q1"), dir.child("q2"))
            try await AccordClient.connect(port: server.port) { try await EditionHistory.append(to: $0) }
            try server.checkpointer.persist()
            #expect(try runAccord(["publish", "--data", data, "--key", key, "--out", q1]).status == 0)

            let late = try await AccordClient.connect(port: server.port) { client in
                // Recorded now, about March 2025, which the first edition covered: a correction.
                let answer = try await client.request(
                    "append",
                    Requests.append(
                        "DSA-POL-1",
                        Requests.event(
                            "LawEnforcementAccessRecorded",
                            EditionHistory.access("2025-03-25", requester: "police", organisation: "Metropolitan Police Service"))))
                try await client.request("append", Requests.approvedWithAccess("DSA-NEW-1"))
                try await client.request(
                    "append",
                    Requests.append(
                        "DSA-HO-1", Requests.event("AgreementSuspended", ["reason": "Breach", "suspendedBy": "DPO"])))
                return answer["positions"]?.arrayValue?.first?.int64Value ?? -1
            }
            try server.checkpointer.persist()
            let published = try runAccord(["publish", "--data", data, "--key", key, "--previous", q1, "--out", q2])
            #expect(published.status == 0, "\(published.stdout)\(published.stderr)")
            let changes = try String(contentsOfFile: q2 + "/changes.csv", encoding: .utf8)
            let police = "Police & criminal investigation,2025-03-01 / police / Metropolitan Police Service"
            #expect(changes.contains("correction,\(police),Requests,2,3,\(late)\r\n"), "\(changes)")
            #expect(changes.contains("correction,\(police),Individuals whose data was shared,2002,2004,\(late)\r\n"))
            #expect(changes.contains("added,Regular shares,DSA-NEW-1,,,,"))
            #expect(changes.contains("changed,Regular shares,DSA-HO-1,Status on the edition date,in_force,suspended,\r\n"))
            let manifest = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: q2 + "/edition.json")).map { $0 })
            let q1Manifest = try Data(contentsOf: URL(fileURLWithPath: q1 + "/edition.json"))
            #expect(manifest["previous"]?["manifestSha256"]?.stringValue == Self.sha256(q1Manifest), "editions form one chain")
            #expect(try runAccord(["publish", "--data", data, "--key", key, "--check", q2]).status == 0)

            let foreign = try runAccord(["publish", "--data", data, "--key", key, "--previous", other, "--out", dir.child("q2b")])
            #expect(foreign.status == 1 && foreign.stderr.contains("another log"), "\(foreign.stderr)")
        }
    }

    @Test func onlyAnAdminOrAnAuditorPublishesOnline() async throws {
        let (tokens, secrets) = try AuthTests.tokens()
        try await TestServer.with(TemporaryDirectory("edition-roles"), configure: { $0.tokens = tokens }) { server in
            var admin = ClientConfiguration(port: server.port)
            admin.token = secrets["admin"]
            try await AccordClient.connect(admin) { try await $0.request("append", Requests.approvedWithAccess("DSA-1")) }
            let endpoint = "127.0.0.1:\(server.port)"
            let writer = try runAccord(["publish", "--server", endpoint, "--token", secrets["writer"]!, "--out", dir.child("w")])
            #expect(writer.status == 2 && writer.stderr.contains("admin or auditor"), "\(writer.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.child("w")))
            let auditor = try runAccord(["publish", "--server", endpoint, "--token", secrets["auditor"]!, "--out", dir.child("a")])
            #expect(auditor.status == 0 && auditor.stdout.contains("recorded as EditionPublished"), "\(auditor.stdout)\(auditor.stderr)")
            let record = try await AccordClient.connect(admin) { client in
                try await client.request("read_all", ["types": ["EditionPublished"]])["events"]?.arrayValue?.first
            }
            #expect(record?["stream"] == "$editions" && record?["principal"] == "regulator")
        }
    }

    static func sha256(_ data: Data) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("edition-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: path, contents: data)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return (try? Command.run(["sha256sum", path]))?.output.split(separator: " ").first.map(String.init) ?? ""
    }

    /// ops/check-edition (openpyxl, odfpy, LibreOffice) and ops/check-edition-site
    /// (headless Chromium): required where ops/test runs, else run when installed.
    static func readers(_ edition: String) async throws {
        let required = ProcessInfo.processInfo.environment["ACCORD_REQUIRE_EDITION_READERS"] == "1"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (script, needs) in [
            ("ops/check-edition", "import odf, openpyxl"),
            ("ops/check-edition-site", "import os; assert os.path.exists('/usr/bin/chromedriver')"),
        ] {
            let available = try await Command.runAwaiting(["python3", "-c", needs]).status == 0
            #expect(available || !required, "\(script) needs what ops/setup installs")
            guard available else { continue }
            let run = try await Command.runAwaiting(["python3", root.appendingPathComponent(script).path, edition])
            #expect(run.status == 0, "\(script): \(run.output)")
        }
    }

    static func files(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: folder + "/" + path), !path.hasSuffix("/") else { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory), isDirectory.boolValue { continue }
            out[path] = data
        }
        return out
    }
}
