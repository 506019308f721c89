import NIOCore

/// A connection's outbound side. Writes from several tasks (responses,
/// subscriptions, watches) are serialized by NIO; each write waits while the
/// socket is not writable, which is how a slow reader slows only itself.
struct Output: Sendable {
    let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>

    func write(_ line: [UInt8]) async throws {
        try await writer.write(ByteBuffer(bytes: line))
    }
}
