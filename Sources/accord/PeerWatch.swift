import AccordClient
import Checkpoints
import CommandSupport
import Foundation
import Logging
import Server
import ServiceLifecycle

/// `accord serve --peer HOST:PORT`: asks each peer (the other servers of the
/// deployment: a replica that may be promoted, a former primary) for its
/// signed checkpoint every few seconds, and fences this server the moment
/// one of this log's checkpoints says a newer epoch (a promotion this server
/// missed): from then on it takes no writes, restarts included. A peer's
/// checkpoint counts only when this log's key signed it, for this log's
/// origin; an unreachable peer changes nothing.
struct PeerWatch: Service {
    let peers: [String]
    let fence: Fence
    let verifier: NoteVerifierKey
    let origin: String
    let interval: Duration
    let logger: Logger

    /// One round over the peers; run once before the server listens, so a
    /// superseded primary never takes a write after it starts.
    func checkOnce() async {
        for peer in peers { await check(peer) }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                await checkOnce()
            }
        }
    }

    private func check(_ peer: String) async {
        do {
            let (host, port) = try Endpoint.parse(peer, option: "--peer")
            var configuration = ClientConfiguration(host: host, port: port)
            configuration.anonymous = true
            configuration.reconnect = .never
            configuration.connectTimeout = .seconds(2)
            configuration.requestTimeout = .seconds(2)
            let head = try await AccordClient.connect(configuration) { try await $0.checkpoint() }
            let signed = try SignedCheckpoint(text: head.text, verifiedBy: verifier, origin: origin)
            let epoch = signed.checkpoint.effectiveEpoch
            guard epoch > fence.epoch, fence.current == nil else { return }
            try fence.fence(epoch: epoch, primary: peer, reason: "the peer \(peer) signed a checkpoint of epoch \(epoch)")
            logger.critical(
                "fenced: a peer is at a newer epoch; this server takes no more writes",
                metadata: ["peer": "\(peer)", "peerEpoch": "\(epoch)", "epoch": "\(fence.epoch)"])
        } catch {
            logger.debug("a peer did not give a checkpoint", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
    }
}
