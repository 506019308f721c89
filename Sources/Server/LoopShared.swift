import AccordJSON
import EventStore
import NIOCore

/// What the connections on one event loop share, confined to that loop:
/// the executor the store completes their appends on (which flushes, once
/// per batch, every connection that got a response), and the connections
/// whose subscriptions and watches a commit wakes. The loop observes
/// commits only while some connection on it streams: otherwise a commit
/// costs the loop one wake-up (its completions), not two.
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

    /// Created on `eventLoop`.
    init(eventLoop: any EventLoop, store: EventStore, liveEvents: Int) {
        self.eventLoop = eventLoop
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
        store.submit(submitting, on: executor)
        flush()
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

/// The store's completion executor for one event loop: runs a commit's
/// completions for this loop, then flushes the connections they answered.
final class LoopExecutor: CompletionExecutor {
    /// The loop's shared state while the server runs; `nil` once it stopped.
    let shared: NIOLoopBoundBox<LoopShared?>

    /// Created on `eventLoop`.
    init(eventLoop: any EventLoop) {
        shared = NIOLoopBoundBox(nil, eventLoop: eventLoop)
    }

    /// Whether the server still runs (called on the loop).
    var isBound: Bool { shared.value != nil }

    func execute(_ work: @escaping @Sendable () -> Void) {
        let shared = shared
        shared.eventLoop.execute {
            work()
            shared.value?.flush()
        }
    }
}
