import Logging
import ServiceLifecycle
import Transparency

/// Stores a signed checkpoint of the log every `interval` while the log
/// grows, and a last one at shutdown (after the server has drained, when it
/// is shut down after `AccordServer` in the service group), so a data
/// directory or backup always holds a recent signed tree head to verify.
public struct CheckpointService: Service {
    let checkpointer: Checkpointer
    let interval: Duration
    let logger: Logger

    public init(checkpointer: Checkpointer, interval: Duration = .seconds(5), logger: Logger) {
        self.checkpointer = checkpointer
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        store()
        try? await cancelWhenGracefulShutdown { [self] in
            while true {
                try await Task.sleep(for: interval)
                store()
            }
        }
        store()
    }

    private func store() {
        do {
            try checkpointer.persist()
        } catch {
            logger.error("could not store a checkpoint", metadata: ["error": "\(error)"])
        }
    }
}
