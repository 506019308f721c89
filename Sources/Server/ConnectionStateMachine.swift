import AccordJSON
import NIOCore
import WireProtocol

/// One connection's lifecycle as a value: events in, decisions out. The
/// handler (`ConnectionHandler`) does the I/O and runs the work; every
/// decision about what may be read, started, written or closed is made
/// here, so it can be tested without threads or sockets.
///
/// ```
///            hello ok                   input closed, line too long, shutdown
/// awaitingHello ──▶ open ─────────────────────────────▶ draining ──▶ closed
///      │                                                    ▲ everything read answered
///      └──────── auth deadline, too many failed hellos ─────┴──▶ closed (at once)
/// ```
///
/// Invariants:
/// - Responses leave in request order (`ResponseQueue`).
/// - An append starts only once no query of this connection runs, and a
///   query only once no append of it is committing: a query sees every
///   append sent before it on this connection and none sent after. A
///   `hello` runs alone: what follows it is judged by its outcome.
/// - At most `Limits.poolJobs` of the connection's requests run on the
///   blocking pools at once; the rest wait behind them, in order.
/// - A completion that arrives once the connection is `closed` is dropped:
///   nothing is written, and the work it reports stays done (a committed
///   append stays committed; an `AuditedRead` recorded for an answer that
///   never left stays on the record, which then over-reports, never under-).
/// - Memory in bytes is bounded: nothing more is read, and no request is
///   started, while the connection's unsent output (NIO's buffer, whose
///   high-water mark is half the budget, reported through
///   `writabilityChanged`) is over that mark, or the answers held for
///   ordering plus the request lines read but not started exceed the other
///   half. The budget is `outputBytes` (`outputBytesBeforeHello` until
///   `hello`); beyond it the connection holds at most the answers already
///   being computed (one per request in flight, each bounded).
struct ConnectionStateMachine {
    enum Phase: Equatable {
        /// Tokens are required and no `hello` has succeeded yet.
        case awaitingHello
        case open
        /// No more requests are read; those read are answered, then the connection closes.
        case draining(announceShutdown: Bool)
        /// Closing or closed: completions are dropped.
        case closed
    }

    /// Where a request's work runs, which decides what may run beside it.
    enum Work: Equatable {
        /// Answered on the event loop, possibly after an audit record.
        case inline
        /// Answered on a blocking pool (its cost follows the log's or the register's size).
        case pool
        /// Committed by the group commit (`append`, `audit_read`).
        case append
        /// Runs alone: after everything before it, before anything after it
        /// (`hello`, whose outcome decides what later requests may do).
        case exclusive
    }

    struct Limits: Equatable {
        /// Requests read and not yet answered.
        var maxInFlight = 256
        /// Answers held for ordering plus request lines waiting, once authenticated.
        var outputBytes = 4 << 20
        /// The same before `hello` (tokens configured).
        var outputBytesBeforeHello = 64 << 10
        /// Requests of this connection on the blocking pools at once.
        var poolJobs = 2
    }

    /// How to close.
    enum CloseMode: Equatable {
        /// After what was written is flushed (bounded by a linger timer).
        case afterFlush
        /// At once, discarding unsent output.
        case now
    }

    /// A request ready to start.
    struct Start {
        let sequence: UInt64
        let request: Request
        let work: Work

        var ticket: Ticket { Ticket(sequence: sequence, work: work, id: request.id, op: request.command.op) }
    }

    /// A started request's place, kind of work, id and operation: what its
    /// completion needs, without the request itself (which may be large).
    struct Ticket: Sendable {
        let sequence: UInt64
        let work: Work
        let id: JSONValue
        let op: String
    }

    /// What the handler must do with a completed response.
    enum Delivery {
        /// The connection is closed: drop it.
        case dropped
        /// Write these, in order (possibly none yet: an earlier answer is still due).
        case write(DueResponses)
    }

    private struct Waiting {
        let sequence: UInt64
        /// `nil` while its line is being decoded off the loop: nothing after it starts before it.
        var request: Request?
        var work: Work
        let bytes: Int
    }

    let limits: Limits
    private(set) var phase: Phase
    private var responses = ResponseQueue()
    private var waiting = CircularBuffer<Waiting>()
    private var waitingBytes = 0
    private(set) var inFlight = (inline: 0, pool: 0, append: 0, exclusive: 0)
    /// Whether NIO's outbound buffer is under its high-water mark.
    private var writable = true
    /// NIO asked to read while reading was paused.
    private var readHeld = false
    /// Close once the responses before this one are written (`closeAfter`).
    private var closesAt: UInt64?
    /// Since when NIO's outbound buffer has been over its high-water mark.
    private var unwritableSince: NIODeadline?

    init(limits: Limits, requiresHello: Bool) {
        self.limits = limits
        phase = requiresHello ? .awaitingHello : .open
    }

    /// Requests read and not yet answered (written to the channel).
    var outstanding: Int { responses.outstanding }
    /// Responses written so far (a stream pushes only after its starting response).
    var written: UInt64 { responses.written }
    /// Whether requests are still read.
    var isReading: Bool { phase == .open || phase == .awaitingHello }
    var isClosed: Bool { phase == .closed }
    /// The output budget now.
    var outputBudget: Int { phase == .awaitingHello ? limits.outputBytesBeforeHello : limits.outputBytes }
    /// Bytes the connection holds beyond NIO's buffer: answers waiting for an earlier one, and request lines not started.
    var heldBytes: Int { responses.heldBytes + waitingBytes }
    /// The half of the budget for `heldBytes` (NIO's buffer has the other).
    var heldBudget: Int { outputBudget / 2 }

    // MARK: Input

    /// A line arrived: its response's place, or `nil` when requests are no longer read.
    mutating func lineReceived() -> UInt64? {
        guard isReading else { return nil }
        return responses.reserve()
    }

    /// A decoded request waits for its turn.
    mutating func enqueue(_ sequence: UInt64, _ request: Request, work: Work, bytes: Int) {
        waiting.append(Waiting(sequence: sequence, request: request, work: work, bytes: bytes))
        waitingBytes += bytes
    }

    /// A line too large to decode on the loop keeps its place while it is decoded elsewhere.
    mutating func awaitDecoding(_ sequence: UInt64, bytes: Int) {
        waiting.append(Waiting(sequence: sequence, request: nil, work: .inline, bytes: bytes))
        waitingBytes += bytes
    }

    /// A request decoded off the loop takes its place: queued if it is still waiting, else dropped.
    mutating func decoded(_ sequence: UInt64, _ request: Request, work: Work) {
        guard let index = waiting.firstIndex(where: { $0.sequence == sequence }) else { return }
        waiting[index].request = request
        waiting[index].work = work
    }

    /// A line decoded off the loop was refused: it leaves the queue (its refusal is answered with `answer`).
    mutating func dropDecoding(_ sequence: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.sequence == sequence }) else { return }
        waitingBytes -= waiting[index].bytes
        waiting.remove(at: index)
    }

    /// The next request that may start now, counted as in flight; `nil` when none may.
    mutating func nextStart() -> Start? {
        guard phase != .closed, let next = waiting.first, let request = next.request else { return nil }
        guard inFlight.exclusive == 0 else { return nil }
        switch next.work {
        case .append: guard inFlight.inline == 0, inFlight.pool == 0 else { return nil }
        case .inline: guard inFlight.append == 0 else { return nil }
        case .pool: guard inFlight.append == 0, inFlight.pool < limits.poolJobs else { return nil }
        case .exclusive: guard inFlight.inline == 0, inFlight.pool == 0, inFlight.append == 0 else { return nil }
        }
        // Nothing more is computed while the peer is not taking what it was sent.
        guard writable, responses.heldBytes < heldBudget else { return nil }
        waiting.removeFirst()
        waitingBytes -= next.bytes
        switch next.work {
        case .inline: inFlight.inline += 1
        case .pool: inFlight.pool += 1
        case .append: inFlight.append += 1
        case .exclusive: inFlight.exclusive += 1
        }
        return Start(sequence: next.sequence, request: request, work: next.work)
    }

    /// A response that needs no work (a blank line, a refusal before the request started).
    mutating func answer(_ sequence: UInt64, _ response: ByteBuffer) -> Delivery {
        guard phase != .closed else { return .dropped }
        return .write(responses.complete(sequence, response))
    }

    /// A started request's response is ready.
    mutating func complete(_ sequence: UInt64, work: Work, _ response: ByteBuffer) -> Delivery {
        switch work {
        case .inline: inFlight.inline -= 1
        case .pool: inFlight.pool -= 1
        case .append: inFlight.append -= 1
        case .exclusive: inFlight.exclusive -= 1
        }
        return answer(sequence, response)
    }

    /// NIO asks to read more: `true` to read now, `false` to hold until `shouldResumeReading`.
    mutating func readRequested() -> Bool {
        if mayRead { return true }
        readHeld = true
        return false
    }

    /// After any event: whether a held read may go ahead now.
    mutating func shouldResumeReading() -> Bool {
        guard readHeld, mayRead else { return false }
        readHeld = false
        return true
    }

    private var mayRead: Bool {
        isReading && writable && responses.outstanding < limits.maxInFlight && heldBytes < heldBudget
    }

    mutating func writabilityChanged(_ writable: Bool, now: NIODeadline) {
        self.writable = writable
        unwritableSince = writable ? nil : (unwritableSince ?? now)
    }

    // MARK: Lifecycle

    /// `hello` succeeded.
    mutating func authenticated() {
        if phase == .awaitingHello { phase = .open }
    }

    /// Stops reading; returns `true` if this began the drain (the handler ends the streams).
    mutating func beginDrain(announceShutdown: Bool) -> Bool {
        guard isReading else { return false }
        phase = .draining(announceShutdown: announceShutdown)
        return true
    }

    /// A line was too long: its error's place, and the connection drains.
    mutating func lineTooLong() -> UInt64? {
        guard isReading else { return nil }
        let sequence = responses.reserve()
        phase = .draining(announceShutdown: false)
        return sequence
    }

    /// Stops reading and starting requests, and closes once request
    /// `sequence` is answered (a third wrong token): what was read after it
    /// is dropped.
    mutating func closeAfter(_ sequence: UInt64) {
        guard phase != .closed else { return }
        phase = .draining(announceShutdown: false)
        waiting.removeAll()
        waitingBytes = 0
        closesAt = sequence + 1
    }

    /// Once draining and everything read is answered (or the request
    /// `closeAfter` named): close after flushing.
    mutating func closeIfDrained() -> CloseMode? {
        guard case .draining = phase else { return nil }
        let answered =
            closesAt.map { responses.written >= $0 }
            ?? (waiting.isEmpty && responses.outstanding == 0 && inFlight == (0, 0, 0, 0))
        guard answered else { return nil }
        phase = .closed
        return .afterFlush
    }

    /// Closes, whatever is pending; `false` if it was already closed.
    mutating func close() -> Bool {
        guard phase != .closed else { return false }
        phase = .closed
        waiting.removeAll()
        waitingBytes = 0
        return true
    }

    /// The authentication deadline passed: close at once unless `hello` succeeded.
    mutating func authDeadlinePassed() -> CloseMode? {
        guard phase == .awaitingHello else { return nil }
        phase = .closed
        return .now
    }

    /// A periodic check: close at once a connection that sent no line for
    /// `idleTimeout` and has nothing to push or answer, or whose peer has
    /// left its output over the high-water mark for that long.
    mutating func tick(now: NIODeadline, lastLine: NIODeadline, streaming: Bool, idleTimeout: TimeAmount) -> CloseMode? {
        guard phase != .closed else { return nil }
        let stalled = unwritableSince.map { now - $0 > idleTimeout } ?? false
        let idle = !streaming && responses.outstanding == 0 && now - lastLine > idleTimeout
        guard stalled || idle else { return nil }
        _ = close()
        return .now
    }

    /// The channel went inactive.
    mutating func inactive() {
        _ = close()
    }
}
