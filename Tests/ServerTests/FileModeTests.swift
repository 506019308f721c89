import AccordClient
import AccordTesting
import Foundation
import Testing

/// Every file and directory Accord creates is private whatever the umask:
/// run under root's usual 022, nothing it makes is readable by others.
@Suite struct FileModeTests {
    let dir = TemporaryDirectory("modes")

    func mode(_ path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Int(info.st_mode & 0o777)
    }

    /// Every entry under `path`, with its mode, that others could read.
    func openToOthers(under path: String) -> [String] {
        let entries = (FileManager.default.subpaths(atPath: path) ?? []).map { path + "/" + $0 } + [path]
        return entries.filter { mode($0) & 0o007 != 0 }.map { "\($0) \(String(mode($0), radix: 8))" }
    }

    @Test func dataBackupRestoreAndTokensArePrivateUnderUmask022() async throws {
        let data = dir.child("srv/data")
        let server = try await ServerProcess.start(data: data, ready: dir.child("ready"), umask: "022")
        try await AccordClient.connect(port: server.port) { client in
            try await client.request("append", Requests.append("$m", Requests.event("Noted", ["n": 1])))
        }
        let backup = dir.child("backups/one")
        let copied = try runAccord(["backup", backup, "--data", data, "--include-secrets"], umask: "022")
        #expect(copied.status == 0, "\(copied.stderr)")
        server.stop()
        #expect(mode(data) == 0o750 && mode(data + "/data.mdb") == 0o640 && mode(data + "/checkpoint.key") == 0o600)
        #expect(mode(backup) == 0o750 && mode(backup + "/data.mdb") == 0o640 && mode(backup + "/checkpoint.key") == 0o600)
        #expect(mode(dir.child("backups")) == 0o750, "parents made for a backup are private too")

        let restored = dir.child("restored")
        let restore = try runAccord(["restore", backup, "--data", restored], umask: "022")
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(mode(restored + "/data.mdb") == 0o640 && mode(restored + "/checkpoint.key") == 0o600)

        let tokens = dir.child("secrets/accord/tokens.json")
        let created = try runAccord(["token", "create", "w", "--role", "writer", "--tokens", tokens], umask: "022")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(mode(tokens) == 0o600 && mode(dir.child("secrets/accord")) == 0o700 && mode(dir.child("secrets")) == 0o700)

        for path in [data, backup, restored, dir.child("secrets")] {
            #expect(openToOthers(under: path).isEmpty, "\(openToOthers(under: path))")
        }
    }

    @Test func aTLSKeyOthersCanReadIsRefusedLikeTheSigningKey() throws {
        let key = dir.child("server.key")
        let certificate = dir.child("server.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out",
            certificate, "-subj", "/CN=localhost", "-days", "2",
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        chmod(key, 0o644)
        let arguments = ["serve", "--data", dir.child("d"), "--tls-certificate", certificate, "--tls-key", key, "--check-config"]
        let refused = try runAccord(arguments)
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("the TLS private key \(key) is readable by others (mode 644); run chmod 600 \(key)"),
            "\(refused.stderr)")
        chmod(key, 0o600)
        let accepted = try runAccord(arguments)
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }
}
