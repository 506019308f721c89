import AccordTesting
import Checkpoints
import Foundation
import Testing

/// `accord serve` as an operator runs it: a child process.
@Suite struct ServeCommandTests {
    let dir = TemporaryDirectory("serve")

    func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let result = try runAccord(arguments)
        return (result.status, result.stderr)
    }

    @Test func aConfigFileWithAnUnknownKeyIsRefusedByName() throws {
        try Data(#"{"dat":"/tmp/x"}"#.utf8).write(to: URL(fileURLWithPath: dir.child("bad.json")))
        let (status, stderr) = try run(["serve", "--config", dir.child("bad.json")])
        #expect(status != 0)
        #expect(stderr.contains(#"unknown setting "dat""#))
    }

    @Test func aConfigFileValueOfTheWrongTypeIsRefusedByName() throws {
        try Data(#"{"maxLineBytes":"big"}"#.utf8).write(to: URL(fileURLWithPath: dir.child("bad.json")))
        let (status, stderr) = try run(["serve", "--config", dir.child("bad.json")])
        #expect(status != 0)
        #expect(stderr.contains("maxLineBytes"))
    }

    @Test func aSecondServerOnTheSameDirectoryIsRefused() async throws {
        let first = try await ServerProcess.start(data: dir.child("data"), ready: dir.child("ready"))
        defer { first.stop() }
        let (status, stderr) = try run(["serve", "--data", dir.child("data"), "--listen", "127.0.0.1:0"])
        #expect(status != 0)
        #expect(stderr.contains("in use by another accord process"))
    }

    @Test func checkConfigReportsTheSettingsAndTouchesNothing() throws {
        let (status, stdout, _) = try runAccord([
            "serve", "--data", dir.child("fresh"), "--check-config", "--origin", "register.example/accord",
        ])
        #expect(status == 0)
        #expect(stdout.contains(#""origin":"register.example/accord""#) && stdout.hasSuffix("configuration OK\n"))
        #expect(stdout.contains(#""spinMicroseconds":300"#), "a lone client's commits are watched for (while a processor is spare)")
        #expect(!FileManager.default.fileExists(atPath: dir.child("fresh") + "/checkpoint.key"))
    }

    /// A deployment's own catalogue is what the server validates against and
    /// what `gateways` returns; one that does not parse stops the start by name.
    @Test func aDeploymentsOwnGatewayCatalogueIsServed() async throws {
        let catalogue = dir.child("gateways.json")
        try Data(
            #"{"version":7,"reviewed":"2026-12-01","gateways":[{"id":"test-act","title":"The Test Act","permits":["researcher"],"covers":"x"}]}"#
                .utf8
        ).write(to: URL(fileURLWithPath: catalogue))
        let server = try await ServerProcess.start(data: dir.child("own"), ready: dir.child("ready"), arguments: ["--gateways", catalogue])
        defer { server.stop() }
        let socket = try LineSocket(port: server.port)
        _ = await socket.readLine()
        try await socket.send(#"{"id":1,"op":"gateways"}"# + "\n")
        let line = try #require(await socket.readLine())
        #expect(line.hasPrefix(#"{"id":1,"ok":true"#) && line.contains(#""id":"test-act""#) && line.contains(#""version":7"#))
        #expect(!line.contains("ed-ipi-2009"))

        try Data(#"{"version":1,"gateways":[]}"#.utf8).write(to: URL(fileURLWithPath: dir.child("broken.json")))
        let (status, stderr) = try run(["serve", "--data", dir.child("other"), "--gateways", dir.child("broken.json"), "--check-config"])
        #expect(status != 0)
        #expect(stderr.contains("broken.json") && stderr.contains("reviewed"))
    }

    /// A number out of range is refused by name before anything starts, from the file or a flag.
    @Test func outOfRangeSettingsAreRefusedByName() throws {
        try Data(#"{"maxConnections":-5}"#.utf8).write(to: URL(fileURLWithPath: dir.child("negative.json")))
        let file = try run(["serve", "--config", dir.child("negative.json"), "--data", dir.child("neg"), "--check-config"])
        #expect(file.status != 0)
        #expect(file.stderr.contains("error: \(dir.child("negative.json")): maxConnections must be at least 1; got -5"), "\(file.stderr)")
        #expect(!file.stderr.contains("Usage"), "a setting's mistake is not followed by the usage banner")
        let flag = try run(["serve", "--event-loop-threads", "0", "--data", dir.child("neg"), "--check-config"])
        #expect(flag.status != 0)
        #expect(flag.stderr.contains("error: --event-loop-threads must be at least 1; got 0"), "\(flag.stderr)")
        let sized = try run(["serve", "--max-map-size-gib", "0", "--data", dir.child("neg"), "--check-config"])
        #expect(sized.stderr.contains("error: --max-map-size-gib must be at least 1; got 0"), "\(sized.stderr)")
        let spin = try run(["serve", "--spin-microseconds", "20000", "--data", dir.child("neg"), "--check-config"])
        #expect(spin.stderr.contains("error: --spin-microseconds must be at most 10000"), "\(spin.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.child("neg")))
    }

    /// Watching for a lone client's commit is the operator's to turn off or
    /// shorten (300 µs by default: `checkConfigReportsTheSettings…`), from the
    /// file or a flag, and bound (`outOfRangeSettingsAreRefusedByName`).
    @Test func spinningIsSetInTheConfigurationFileOrTurnedOff() throws {
        try Data(#"{"spinMicroseconds":120}"#.utf8).write(to: URL(fileURLWithPath: dir.child("spin.json")))
        let file = try runAccord(["serve", "--config", dir.child("spin.json"), "--data", dir.child("spin"), "--check-config"])
        #expect(file.status == 0 && file.stdout.contains(#""spinMicroseconds":120"#), "\(file.stderr)")
        let off = try runAccord(["serve", "--spin-microseconds", "0", "--data", dir.child("spin"), "--check-config"])
        #expect(off.status == 0 && off.stdout.contains(#""spinMicroseconds":0"#), "\(off.stderr)")
    }

    /// The flags as ops/README spells them.
    @Test func mapSizeFlagsHaveTheirDocumentedNames() throws {
        let (status, stdout, stderr) = try runAccord([
            "serve", "--data", dir.child("sized"), "--map-size-mib", "64", "--max-map-size-gib", "2", "--check-config",
        ])
        #expect(status == 0, "\(stderr)")
        #expect(stdout.contains(#""mapSizeMiB":64"#) && stdout.contains(#""maxMapSizeGiB":2"#))
    }

    @Test func withoutTokensOnlyLoopbackIsAllowed() throws {
        let (status, _, stderr) = try runAccord(["serve", "--data", dir.child("open"), "--listen", "0.0.0.0:0", "--check-config"])
        #expect(status != 0)
        #expect(stderr.contains("refusing to listen on 0.0.0.0 without authentication"))
        #expect(try runAccord(["token", "create", "case-system", "--role", "writer", "--data", dir.child("open")]).status == 0)
        #expect(try runAccord(["serve", "--data", dir.child("open"), "--listen", "0.0.0.0:0", "--check-config"]).status == 0)
        let metrics = try runAccord(["serve", "--data", dir.child("open"), "--metrics-listen", "0.0.0.0:9411", "--check-config"])
        #expect(metrics.status != 0 && metrics.stderr.contains("loopback"))
    }

    @Test func theSampleServiceConfigPassesTheCheck() throws {
        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../ops/systemd/accord.json")
            .path
        let (status, stdout, stderr) = try runAccord(["serve", "--config", config, "--data", dir.child("svc"), "--check-config"])
        #expect(status == 0, "\(stderr)")
        #expect(stdout.contains(#""origin":"register.example.gov.uk/accord""#))
    }

    @Test func theSampleReplicaConfigPassesTheCheckAndAReplicaDirectoryNeedsFollow() throws {
        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../ops/systemd/accord-replica.json").path
        let key = try NoteSignerKey(name: "register.example.gov.uk/accord").verifier.text
        let missing = try runAccord(["serve", "--config", config, "--data", dir.child("replica"), "--check-config"])
        #expect(missing.status != 0 && missing.stderr.contains("primary.vkey"), "a pinned key that cannot be read is reported")
        let checked = try runAccord(
            ["serve", "--config", config, "--data", dir.child("replica"), "--follow-key", key, "--check-config"])
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains(#""replicaOf":"primary.register.example.gov.uk:7411""#) && checked.stdout.contains(key))
        try FileManager.default.createDirectory(atPath: dir.child("replica"), withIntermediateDirectories: true)
        try Data(#"{"primary":"127.0.0.1:7411"}"#.utf8).write(to: URL(fileURLWithPath: dir.child("replica") + "/replica.json"))
        let plain = try runAccord(["serve", "--data", dir.child("replica"), "--check-config"])
        #expect(plain.status != 0 && plain.stderr.contains("accord promote"), "\(plain.stderr)")
    }
}

extension ServeCommandTests {
    /// The socket bound before the data directory keeps the full accept
    /// queue (4096): NIO would otherwise re-listen it with 128, and a burst of
    /// connections would wait on SYN retries.
    @Test func theListeningSocketKeepsItsBacklog() async throws {
        let server = try await ServerProcess.start(data: dir.child("backlog"), ready: dir.child("ready"))
        defer { server.stop() }
        let ss = Process()
        ss.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        ss.arguments = ["ss", "-ltnH", "sport = :\(server.port)"]
        let output = Pipe()
        ss.standardOutput = output
        try ss.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ss.waitUntilExit()
        #expect(ss.terminationStatus == 0, "ss (iproute2; ops/setup installs it) is needed to read the backlog")
        // LISTEN, Recv-Q, Send-Q (the backlog), local address, peer.
        let fields = text.split(whereSeparator: \.isWhitespace)
        #expect(fields.count >= 3 && fields[2] == "4096", "\(text)")
    }
}

extension ServeCommandTests {
    /// Under systemd's Type=notify, serve says READY=1 on $NOTIFY_SOCKET once it listens.
    @Test func serveTellsSystemdWhenItIsReady() async throws {
        let path = dir.child("notify.sock")
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let process = Process()
        process.executableURL = try #require(accordBinary())
        process.arguments = ["serve", "--data", dir.child("notified"), "--listen", "127.0.0.1:0", "--log-level", "error"]
        process.environment = ProcessInfo.processInfo.environment.merging(["NOTIFY_SOCKET": path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        let message = String(decoding: buffer[..<max(0, count)], as: UTF8.self)
        #expect(message.hasPrefix("READY=1\n") && message.contains("STATUS=listening on 127.0.0.1:"), "\(message)")
    }
}
