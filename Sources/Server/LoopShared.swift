import AccordJSON
import EventStore
import NIOCore

/// What the connections on one event loop share, confined to that loop:
/// the executor the store completes their appends on (which flushes, once
/// per batch, every connection that got a response), and the connections
/// whose subscriptions and watches a commit wakes. The loop observes
/// commits only while some connection on it streams: otherwise a commit
/// costs the loop one wake-up (its completions), not two; and for a lone
/// client, when the server may spin, none: the loop watches for its
/// append's completion (at most `watchNanoseconds`) instead of sleeping
/// until the writer wakes it.
final class LoopShared {
    let eventLoop: any EventLoop
    /// Completes this loop's appends and notifies its commits; bound to this until `unbind`.
    let executor: LoopExecutor
    private var unflushed: [ConnectionHandler] = []
    /// `unflushed` as `flush` takes it: the two swap, so neither is ever
    /// reallocated (copying and clearing one array was an allocation a turn).
    private var flushing: [ConnectionHandler] = []
    private var isFlushing = false
    private var streaming: [ObjectIdentifier: ConnectionHandler] = [:]
    private let store: EventStore
    /// The newest events, read once for every subscription on the loop.
    let live: LiveEvents
    private var observation: HeadMonitor.Observation?
    /// The appends the loop's connections prepared this turn.
    private var turnAppends: [(PreparedAppend, @Sendable (Result<AppendResult, any Error>) -> Void)] = []
    /// `turnAppends` as they are submitted (swapped, as `flushing` is).
    private var submitting: [(PreparedAppend, @Sendable (Result<AppendResult, any Error>) -> Void)] = []
    /// Where a response line is written before it is copied into its
    /// `ByteBuffer`: one buffer for the loop, its capacity kept.
    private var scratch = JSONWriter(capacity: 1_024)
    /// The connections this loop serves: the loop watches for an append's
    /// completion only when it serves one (watching holds every other
    /// connection's reads back).
    var connections = 0
    /// Watches that timed out make the next lone appends go unwatched.
    private var watchBackoff = WatchBackoff()
    /// How long the loop watches for its lone append's completion
    /// (`ServerConfiguration.spinNanoseconds`, 300 µs by default: longer
    /// than one sync of a small record on an SSD or a virtual disk, 75–150
    /// µs here); after it the completion comes through the loop's task queue.
    let watchNanoseconds: UInt64

    /// Created on `eventLoop`.
    init(eventLoop: any EventLoop, store: EventStore, liveEvents: Int, watchNanoseconds: UInt64) {
        self.eventLoop = eventLoop
        self.watchNanoseconds = watchNanoseconds
        executor = LoopExecutor(eventLoop: eventLoop)
        self.store = store
        live = LiveEvents(store: store, limit: liveEvents)
    }

    /// The bytes `write` puts in the loop's scratch, in a buffer of `allocator`'s.
    func buffer(_ allocator: ByteBufferAllocator, _ write: (inout JSONWriter) -> Void) -> ByteBuffer {
        scratch.bytes.removeAll(keepingCapacity: true)
        write(&scratch)
        return allocator.buffer(bytes: scratch.bytes)
    }

    /// Queues an append for the end of this turn of the loop, when every
    /// append its connections read in the turn goes to the store together.
    func enqueue(_ append: PreparedAppend, _ completion: @escaping @Sendable (Result<AppendResult, any Error>) -> Void) {
        if turnAppends.isEmpty { eventLoop.assumeIsolated().execute { [self] in submitTurnAppends() } }
        turnAppends.append((append, completion))
    }

    private func submitTurnAppends() {
        swap(&turnAppends, &submitting)
        defer { submitting.removeAll(keepingCapacity: true) }
        guard executor.isBound else {
            for (_, completion) in submitting { completion(.failure(EventStoreError.shuttingDown)) }
            return
        }
        // A lone append with nothing ahead of it: its completion is one sync away, and
        // the loop watches for it instead of sleeping until the writer wakes it, if
        // the machine has a processor to spare.
        let lone =
            submitting.count == 1 && connections == 1 && watchNanoseconds > 0 && store.isProcessorSpare(now: Spin.now)
            && watchBackoff.shouldWatch()
        if lone { executor.handOff.arm() }
        let alone = store.submit(submitting, on: executor)
        flush()
        guard lone else { return }
        let work = executor.handOff.take(until: alone ? Spin.now + watchNanoseconds : 0)
        if alone { watchBackoff.record(seen: work != nil) }
        if let work {
            work()
            flush()
        }
    }

    /// Finishes set-up on the loop, once the shared state can be bound to it.
    func bind() {
        executor.shared.value = self
    }

    /// Lets the executor go of this (it refers back) once the server stopped.
    func unbind() {
        observation?.cancel()
        observation = nil
        executor.shared.value = nil
        streaming.removeAll()
        unflushed.removeAll()
        flushing.removeAll()
    }

    /// `handler` wrote and must flush before the loop waits again.
    func needsFlush(_ handler: ConnectionHandler) {
        guard !handler.flushQueued else { return }
        handler.flushQueued = true
        unflushed.append(handler)
    }

    /// Flushes every connection that wrote since the last call: one write
    /// system call per connection per batch of responses.
    func flush() {
        // A flush that makes a handler flush (writability changed) only queues it for the loop below.
        guard !isFlushing else { return }
        isFlushing = true
        defer { isFlushing = false }
        while !unflushed.isEmpty {
            swap(&unflushed, &flushing)
            for handler in flushing {
                handler.flushQueued = false
                handler.flushNow()
            }
            flushing.removeAll(keepingCapacity: true)
        }
    }

    /// `handler` runs streams (or stopped running any).
    func setStreaming(_ handler: ConnectionHandler, _ streaming: Bool) {
        if streaming {
            self.streaming[ObjectIdentifier(handler)] = handler
        } else {
            self.streaming.removeValue(forKey: ObjectIdentifier(handler))
        }
        if self.streaming.isEmpty {
            observation?.cancel()
            observation = nil
        } else if observation == nil, executor.isBound {
            let executor = executor
            observation = store.observeCommits(on: executor) { _ in executor.shared.value?.commitArrived() }
        }
    }

    /// A commit moved the head: every stream on this loop takes its step.
    func commitArrived() {
        live.advance(to: store.head)
        for handler in Array(streaming.values) { handler.pumpStreams() }
        flush()
    }
}
