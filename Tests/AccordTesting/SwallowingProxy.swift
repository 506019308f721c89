import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback proxy in front of a server that forwards every byte, except
/// the server's lines `swallow` picks: a proxy or a link that loses answers,
/// so a client times out on a request the server did carry out. Each
/// connection is pumped by its own thread until either side closes.
public final class SwallowingProxy: @unchecked Sendable {
    public let port: Int
    private let listener: SilentListener

    public init(target: Int, swallow: @escaping @Sendable (String) -> Bool) throws {
        listener = try SilentListener()
        port = listener.port
        let fd = listener.descriptor
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                guard let upstream = try? LineSocket.blockingConnection(port: target) else {
                    close(client)
                    continue
                }
                Thread.detachNewThread { Self.pump(client: client, upstream: upstream, swallow: swallow) }
            }
        }
    }

    private static func pump(client: Int32, upstream: Int32, swallow: @Sendable (String) -> Bool) {
        defer {
            close(client)
            close(upstream)
        }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
        while poll(&fds, 2, -1) >= 0 {
            if fds[0].revents != 0 {
                let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                guard n > 0, sendAll(Array(chunk[..<n]), to: upstream) else { return }
            }
            if fds[1].revents != 0 {
                let n = chunk.withUnsafeMutableBytes { recv(upstream, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { return }
                pending += chunk[..<n]
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = Array(pending[...newline])
                    pending.removeSubrange(...newline)
                    if !swallow(String(decoding: line, as: UTF8.self)) { guard sendAll(line, to: client) else { return } }
                }
            }
        }
    }

    private static func sendAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}
