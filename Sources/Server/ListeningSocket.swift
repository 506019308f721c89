import Foundation
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The server's TCP socket, bound and listening before anything is created
/// on disk, so that a port in use stops `accord serve` before it makes a data
/// directory or a key, with a sentence rather than an errno.
///
/// Handed to the server (`ServerConfiguration.listeningSocket`) exactly once;
/// closed on deinit if it never was.
public final class ListeningSocket: Sendable {
    /// The address it is bound to (port 0 resolved to the chosen port).
    public let address: SocketAddress
    private let descriptor: CInt
    private let backlog: CInt
    private let taken = Atomic<Bool>(false)

    /// Binds `host:port` and listens; `option` names the flag in messages.
    public init(host: String, port: Int, backlog: CInt = 4_096, option: String = "--listen") throws {
        let requested: SocketAddress
        do {
            requested = try SocketAddress.makeAddressResolvingHost(host, port: port)
        } catch {
            throw ServerError.cannotListen("cannot listen on \(host):\(port): \(host) is not an address or a name this machine resolves")
        }
        let fd = socket(requested.protocol.rawValue, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ServerError.cannotListen("cannot create a socket: \(String(cString: strerror(errno)))") }
        var one: CInt = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size))
        let bound = requested.withSockAddr { pointer, size in bind(fd, pointer, socklen_t(size)) }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let why = errno
            close(fd)
            let endpoint = "\(host):\(port)"
            switch why {
            case EADDRINUSE: throw ServerError.cannotListen("\(endpoint) is in use by another process; stop it or choose another \(option)")
            case EACCES: throw ServerError.cannotListen("\(endpoint) needs privileges this user lacks; choose a port above 1023")
            case EADDRNOTAVAIL: throw ServerError.cannotListen("\(host) is not an address of this machine (\(option))")
            default: throw ServerError.cannotListen("cannot listen on \(endpoint) (\(option)): \(String(cString: strerror(why)))")
            }
        }
        // sin_port and sin6_port sit at the same offset: read the chosen port either way.
        var storage = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        descriptor = fd
        self.backlog = backlog
        address = (try? SocketAddress(ipAddress: requested.ipAddress ?? host, port: Int(UInt16(bigEndian: storage.sin6_port)))) ?? requested
    }

    /// The descriptor, for the server's bootstrap; `nil` once taken.
    func take() -> CInt? {
        taken.exchange(true, ordering: .acquiringAndReleasing) ? nil : descriptor
    }

    /// Listens again with `backlog`: NIO's `withBoundSocket` calls `listen`
    /// with its default of 128 before the bootstrap's backlog option is
    /// applied, and a burst of thousands of connections needs the full queue.
    func restoreBacklog() {
        listen(descriptor, backlog)
    }

    deinit {
        if !taken.load(ordering: .acquiring) { close(descriptor) }
    }
}
