import EventStore
import NIOSSL
import WireProtocol

/// How the server listens and what it allows. Every value has a documented default.
public struct ServerConfiguration: Sendable {
    /// The address to listen on; port 0 picks a free port.
    public var host = "127.0.0.1"
    public var port = 7411
    /// The longest request line in bytes; longer ones get `line_too_long` and the connection closes.
    public var maxLineBytes = 1 << 20
    /// The same before `hello`, when tokens are configured (a `hello` or a proof request is short).
    public var maxLineBytesBeforeHello = 16 << 10
    /// Open connections at most; one more is told `overloaded` and closed.
    public var maxConnections = 4_096
    /// Requests one connection may have in flight before the server stops reading from it.
    public var maxInFlightPerConnection = 256
    /// Bytes of output one authenticated connection may leave unread (NIO's
    /// buffer's high-water mark; also the bound on answers held for
    /// ordering and request lines waiting): over it the server stops reading
    /// the connection's requests and starting its work until the peer reads.
    public var maxOutputBytesPerConnection = 4 << 20
    /// The same before `hello`, when tokens are configured.
    public var maxOutputBytesBeforeHello = 64 << 10
    /// Requests of one connection running on the blocking pools at once; the rest wait behind them.
    public var poolJobsPerConnection = 2
    /// Threads answering queries whose cost follows the register's size or a page of the log.
    public var queryThreads = 2
    /// Threads replaying history (`asOf`, `effectiveAt`), apart from the query threads.
    public var foldThreads = 1
    /// Repeated reads of the same law-enforcement records by the same
    /// principal within this window share one `AuditedRead`; zero records every read.
    public var auditCoalesceWindow: Duration = .seconds(60)
    /// The background check of the store (`StoreScrub`); `eventsPerSecond` 0 turns it and the start check off.
    public var scrub = StoreScrub.Settings()
    /// How long a connection closing after a last line waits for the peer to take it before closing outright.
    public var closeLinger: Duration = .seconds(5)
    /// Appends waiting for their commit, server-wide; one more is answered `overloaded`.
    public var maxPendingAppends = 16_384
    /// Subscriptions and watches one connection may run; one more is answered `overloaded`.
    public var maxPushersPerConnection = 64
    /// A connection with no line and no subscription or watch for this long is closed; `nil` never.
    public var idleTimeout: Duration? = .seconds(600)
    /// Events read from the log per step of a subscription; bounds its memory.
    public var subscriptionChunk = 256
    /// How long a graceful shutdown waits for connections to finish (a client
    /// that stops reading can hold a subscription's write forever) before
    /// closing them outright.
    public var shutdownGrace: Duration = .seconds(10)
    /// A socket already bound and listening (`accord serve` binds before it
    /// creates anything on disk); when `nil` the server binds `host:port` itself.
    public var listeningSocket: ListeningSocket?
    /// Bearer tokens for `hello`; empty means no authentication (loopback only:
    /// `accord serve` refuses another address without tokens). Replaced at run
    /// time by `AccordServer.reload`.
    public var tokens = TokenStore()
    /// TLS for every connection when set (`ServerTLS.context`); plain TCP
    /// otherwise. Its certificates are replaced at run time by `AccordServer.reload`.
    public var tls: NIOSSLContext?
    /// Keep `checkpoint`, the proofs and `gateways` behind authentication
    /// (by default anyone may ask for them, before `hello`).
    public var privateTransparency = false
    /// How long a connection may stay unauthenticated before it is closed.
    public var authTimeout: Duration = .seconds(10)
    /// Event-loop threads serving connections (each connection stays on one).
    public var eventLoopThreads = 1
    /// How long an event loop watches for a lone client's append to commit,
    /// and the writer for that client's next append, instead of sleeping
    /// until woken (a wake-up on a virtual machine costs tens of µs each
    /// way): a processor is busy meanwhile. Only while one connection is
    /// open and the appends come one at a time, and only while the machine
    /// has a processor to spare (`spinPressureFile`); watches that miss back
    /// off. 0: never watch.
    public var spinNanoseconds: UInt64 = 300_000
    /// The processor pressure file (Linux's pressure stall information)
    /// that says whether the machine has a processor to spare for
    /// watching: watches start only while tasks waited for a processor at
    /// most a quarter of the last 100 ms (`ProcessorPressure`). Without
    /// the file, or on one processor, nothing watches; `nil`: watch
    /// regardless (tests of the watching itself).
    public var spinPressureFile: String? = ProcessorPressure.systemFile
    /// Set on a replica (`accord serve --follow`): appends are refused
    /// `read_only`, audited reads are recorded on the primary, and `health`
    /// reports replication.
    public var primary: (any PrimaryLink)?

    /// The name in the info line.
    public var serverName = "accord"
    public var version = "0.1.0"

    public init() {}

    /// The per-connection limits the state machine enforces.
    var connectionLimits: ConnectionStateMachine.Limits {
        ConnectionStateMachine.Limits(
            maxInFlight: maxInFlightPerConnection, outputBytes: maxOutputBytesPerConnection,
            outputBytesBeforeHello: maxOutputBytesBeforeHello, poolJobs: poolJobsPerConnection)
    }
}
