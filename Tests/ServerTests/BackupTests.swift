import AccordClient
import AccordJSON
import AccordTesting
import EventStore
import Foundation
import LMDB
import Synchronization
import Testing
import Transparency

/// `accord backup` of a live server under load, and `accord restore`.
@Suite struct BackupTests {
    let dir = TemporaryDirectory("backup")

    @Test func aBackupTakenUnderLoadVerifiesAndRestores() async throws {
        let destination = dir.child("copy")
        let restored = dir.child("restored")
        let key = try await TestServer.with(TemporaryDirectory("backup-live")) { server in
            let key = server.checkpointer.key.verifier.text
            let load = Load()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        try await AccordClient.connect(port: server.port) { client in
                            while !load.stop.load(ordering: .relaxed) {
                                try await client.request(
                                    "append", Requests.append("$load-\(worker)", Requests.event("Noted", ["pad": "xxxxxxxxxxxxxxxx"])))
                                load.appended.add(1, ordering: .relaxed)
                            }
                        }
                    }
                }
                while load.appended.load(ordering: .relaxed) < 200 { try await Task.sleep(for: .milliseconds(10)) }
                let backup = try runAccord(["backup", destination, "--data", server.store.environment.path, "--key", key])
                let during = load.appended.load(ordering: .relaxed)
                try await Task.sleep(for: .milliseconds(100))
                load.stop.store(true, ordering: .relaxed)
                try await group.waitForAll()
                #expect(backup.status == 0, "\(backup.stdout)\(backup.stderr)")
                #expect(backup.stdout.hasSuffix("PASSED\n"))
                #expect(load.appended.load(ordering: .relaxed) > during, "appends kept being accepted during the backup")
            }
            return key
        }
        #expect(FileManager.default.fileExists(atPath: destination + "/checkpoint.txt"))
        #expect(!FileManager.default.fileExists(atPath: destination + "/accord.wal"), "a backup is one data file")
        #expect(try String(contentsOfFile: destination + "/checkpoint.vkey", encoding: .utf8) == key + "\n")

        // Restore into a new directory, then check it the way an operator would.
        let restore = try runAccord(["restore", destination, "--data", restored])
        #expect(restore.status == 0, "\(restore.stderr)")
        let verify = try runAccord(["verify", "--data", restored, "--key", key])
        #expect(verify.status == 0, "\(verify.stdout)")
        // A second restore over it needs --force.
        let again = try runAccord(["restore", destination, "--data", restored])
        #expect(again.status != 0 && again.stderr.contains("--force"))
        // The replaced log's write-ahead segment goes with it: nothing of it may replay onto the restored log.
        try Data("the replaced log's segment".utf8).write(to: URL(fileURLWithPath: restored + "/accord.wal"))
        #expect(try runAccord(["restore", destination, "--data", restored, "--force"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: restored + "/accord.wal"))
    }

    @Test func restoreRefusesADirectoryAServerIsUsing() async throws {
        let live = dir.child("live")
        let server = try await ServerProcess.start(data: live, ready: dir.child("ready"))
        defer { server.stop() }
        let backup = try runAccord(["backup", dir.child("copy"), "--data", live])
        #expect(backup.status == 0, "\(backup.stdout)\(backup.stderr)")
        let restore = try runAccord(["restore", dir.child("copy"), "--data", live, "--force"])
        #expect(restore.status != 0)
        #expect(restore.stderr.contains("in use by a running accord server"))
    }
}

/// Shared between the load generators and the test.
private final class Load: Sendable {
    let appended = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)
}

extension BackupTests {
    /// The server's newest checkpoint may be older than the copy's snapshot:
    /// the backup signs one at the copy's head, so no event in it is unsigned.
    @Test func aBackupSignsACheckpointAtItsOwnHead() async throws {
        let data = dir.child("signed-data")
        let server = try await ServerProcess.start(
            data: data, ready: dir.child("signed-ready"), arguments: ["--checkpoint-interval", "3600"])
        defer { server.stop() }
        try await AccordClient.connect(port: server.port) { client in
            for n in 0..<25 {
                try await client.request("append", Requests.append("$b", Requests.event("Noted", ["n": .integer(Int64(n))])))
            }
        }
        let result = try runAccord(["backup", dir.child("signed-backup"), "--data", data])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("copied 25 events") && result.stdout.contains("verified    checkpoint at 25 events"), "\(result.stdout)")
        let text = try String(contentsOfFile: dir.child("signed-backup/checkpoint.txt"), encoding: .utf8)
        #expect(text.split(separator: "\n").dropFirst().first == "25", "\(text)")
    }
}
