import AccordJSON
import AccordTesting
import NIOCore
import Testing
import WireProtocol

@testable import Server

/// The connection's lifecycle without sockets or threads: every decision,
/// and every order in which completions can arrive after a close.
@Suite struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine

    static let limits = Machine.Limits(maxInFlight: 8, outputBytes: 1_000, outputBytesBeforeHello: 100, poolJobs: 2)

    static func request(_ n: Int) -> Request { Request(id: .integer(Int64(n)), command: .ping) }

    static func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func written(_ delivery: Machine.Delivery) -> [String] {
        guard case .write(let buffers) = delivery else { return ["dropped"] }
        return buffers.map { String(buffer: $0) }
    }

    /// Reads `work` in order and returns their tickets as they start.
    static func read(_ machine: inout Machine, _ work: [Machine.Work], bytes: Int = 10) -> [UInt64] {
        work.enumerated().map { index, kind in
            let sequence = machine.lineReceived()!
            machine.enqueue(sequence, request(index), work: kind, bytes: bytes)
            return sequence
        }
    }

    @Test func responsesLeaveInRequestOrder() {
        var machine = Machine(limits: Self.limits, requiresHello: false)
        _ = Self.read(&machine, [.pool, .pool])
        let first = machine.nextStart()!
        let second = machine.nextStart()!
        #expect(Self.written(machine.complete(second.sequence, work: .pool, Self.bytes("b"))) == [])
        #expect(machine.heldBytes == 1)
        #expect(Self.written(machine.complete(first.sequence, work: .pool, Self.bytes("a"))) == ["a", "b"])
        #expect(machine.heldBytes == 0 && machine.outstanding == 0)
    }

    @Test func anAppendWaitsForQueriesAndAQueryForAppends() {
        var machine = Machine(limits: Self.limits, requiresHello: false)
        _ = Self.read(&machine, [.pool, .append, .inline])
        let query = machine.nextStart()!
        #expect(machine.nextStart() == nil, "the append waits for the query before it")
        _ = machine.complete(query.sequence, work: .pool, Self.bytes("q"))
        let append = machine.nextStart()!
        #expect(append.work == .append)
        #expect(machine.nextStart() == nil, "the query waits for the append before it")
        _ = machine.complete(append.sequence, work: .append, Self.bytes("a"))
        #expect(machine.nextStart()?.work == .inline)
    }

    @Test func aConnectionRunsAtMostItsShareOfPoolJobs() {
        var machine = Machine(limits: Self.limits, requiresHello: false)
        _ = Self.read(&machine, [.pool, .pool, .pool, .pool])
        let started = [machine.nextStart(), machine.nextStart(), machine.nextStart()].compactMap { $0 }
        #expect(started.count == 2)
        _ = machine.complete(started[0].sequence, work: .pool, Self.bytes("x"))
        #expect(machine.nextStart() != nil)
        #expect(machine.nextStart() == nil)
    }

    @Test func readingAndStartingPauseWhileThePeerDoesNotRead() {
        var machine = Machine(limits: Self.limits, requiresHello: false)
        #expect(machine.readRequested() == true)
        machine.writabilityChanged(false, now: .now())
        #expect(machine.readRequested() == false)
        _ = Self.read(&machine, [.inline])
        #expect(machine.nextStart() == nil, "nothing more is computed while output is over the mark")
        #expect(machine.shouldResumeReading() == false)
        machine.writabilityChanged(true, now: .now())
        #expect(machine.shouldResumeReading() == true)
        #expect(machine.shouldResumeReading() == false, "a held read resumes once")
        #expect(machine.nextStart() != nil)
    }

    @Test func heldBytesBoundReadingAndTheBudgetIsSmallerBeforeHello() {
        var machine = Machine(limits: Self.limits, requiresHello: true)
        #expect(machine.outputBudget == 100)
        _ = Self.read(&machine, [.inline], bytes: 60)
        #expect(machine.readRequested() == false, "request lines waiting count against the budget")
        let ticket = machine.nextStart()!
        _ = machine.complete(ticket.sequence, work: .inline, Self.bytes("ok"))
        #expect(machine.shouldResumeReading() == true)
        machine.authenticated()
        #expect(machine.outputBudget == 1_000)
        // An answer held for ordering counts too.
        _ = Self.read(&machine, [.pool, .pool])
        let (first, second) = (machine.nextStart()!, machine.nextStart()!)
        _ = machine.complete(second.sequence, work: .pool, Self.bytes(String(repeating: "x", count: 1_200)))
        #expect(machine.readRequested() == false)
        _ = machine.complete(first.sequence, work: .pool, Self.bytes("a"))
        #expect(machine.shouldResumeReading() == true)
    }

    @Test func requestsInFlightBoundReading() {
        var machine = Machine(limits: Self.limits, requiresHello: false)
        _ = Self.read(&machine, Array(repeating: .append, count: 8), bytes: 1)
        #expect(machine.readRequested() == false)
    }

    @Test func aDrainAnswersWhatWasReadThenCloses() {
        var machine = Machine(limits: Self.limits, requiresHello: false)
        _ = Self.read(&machine, [.append])
        #expect(machine.beginDrain(announceShutdown: true) == true)
        #expect(machine.beginDrain(announceShutdown: true) == false)
        #expect(machine.lineReceived() == nil, "nothing more is read")
        let append = machine.nextStart()!
        #expect(machine.closeIfDrained() == nil)
        #expect(Self.written(machine.complete(append.sequence, work: .append, Self.bytes("a"))) == ["a"])
        #expect(machine.closeIfDrained() == .afterFlush)
        #expect(machine.isClosed)
    }

    @Test func aHelloRunsAloneThenTheOthers() {
        var machine = Machine(limits: Self.limits, requiresHello: true)
        _ = Self.read(&machine, [.pool, .exclusive, .inline])
        let query = machine.nextStart()!
        #expect(machine.nextStart() == nil, "the hello waits for what came before it")
        _ = machine.complete(query.sequence, work: .pool, Self.bytes("q"))
        let hello = machine.nextStart()!
        #expect(machine.nextStart() == nil, "what comes after waits for the hello")
        _ = machine.complete(hello.sequence, work: .exclusive, Self.bytes("h"))
        #expect(machine.nextStart() != nil)
    }

    @Test func aConnectionClosesAfterANamedAnswerDroppingWhatFollows() {
        var machine = Machine(limits: Self.limits, requiresHello: true)
        _ = Self.read(&machine, [.pool, .inline, .inline])
        let query = machine.nextStart()!
        let hello = machine.nextStart()!
        machine.closeAfter(hello.sequence)
        #expect(machine.nextStart() == nil, "nothing more starts")
        #expect(machine.lineReceived() == nil, "nothing more is read")
        #expect(Self.written(machine.complete(hello.sequence, work: .inline, Self.bytes("refused"))) == [])
        #expect(Self.written(machine.complete(query.sequence, work: .pool, Self.bytes("q"))) == ["q", "refused"])
        #expect(machine.closeIfDrained() == .afterFlush)
    }

    @Test func aTooLongLineIsAnsweredThenTheConnectionDrains() {
        var machine = Machine(limits: Self.limits, requiresHello: false)
        let sequence = machine.lineTooLong()!
        #expect(!machine.isReading)
        #expect(Self.written(machine.answer(sequence, Self.bytes("too long"))) == ["too long"])
        #expect(machine.closeIfDrained() == .afterFlush)
    }

    @Test func theAuthDeadlineClosesAtOnceUnlessHelloSucceeded() {
        var waiting = Machine(limits: Self.limits, requiresHello: true)
        _ = Self.read(&waiting, [.pool])
        _ = waiting.nextStart()
        #expect(waiting.authDeadlinePassed() == .now, "whatever is pending")
        var authenticated = Machine(limits: Self.limits, requiresHello: true)
        authenticated.authenticated()
        #expect(authenticated.authDeadlinePassed() == nil)
    }

    @Test func idleAndStalledConnectionsCloseStreamingOnesDoNot() {
        let start = NIODeadline.now()
        let timeout = TimeAmount.seconds(10)
        var idle = Machine(limits: Self.limits, requiresHello: false)
        #expect(idle.tick(now: start + .seconds(5), lastLine: start, streaming: false, idleTimeout: timeout) == nil)
        #expect(idle.tick(now: start + .seconds(11), lastLine: start, streaming: false, idleTimeout: timeout) == .now)
        var streaming = Machine(limits: Self.limits, requiresHello: false)
        #expect(streaming.tick(now: start + .seconds(11), lastLine: start, streaming: true, idleTimeout: timeout) == nil)
        var stalled = Machine(limits: Self.limits, requiresHello: false)
        stalled.writabilityChanged(false, now: start)
        #expect(stalled.tick(now: start + .seconds(5), lastLine: start, streaming: true, idleTimeout: timeout) == nil)
        #expect(stalled.tick(now: start + .seconds(11), lastLine: start, streaming: true, idleTimeout: timeout) == .now)
        var drained = Machine(limits: Self.limits, requiresHello: false)
        drained.writabilityChanged(false, now: start)
        drained.writabilityChanged(true, now: start + .seconds(8))
        #expect(drained.tick(now: start + .seconds(11), lastLine: start + .seconds(9), streaming: true, idleTimeout: timeout) == nil)
    }

    @Test func aLineDecodedElsewhereKeepsItsPlace() {
        var machine = Machine(limits: Self.limits, requiresHello: false)
        let big = machine.lineReceived()!
        machine.awaitDecoding(big, bytes: 500)
        _ = Self.read(&machine, [.inline])
        #expect(machine.nextStart() == nil, "the ping waits for the large line before it")
        machine.decoded(big, Self.request(9), work: .append)
        #expect(machine.nextStart()?.sequence == big)
        let refused = machine.lineReceived()!
        machine.awaitDecoding(refused, bytes: 500)
        machine.dropDecoding(refused)
        #expect(machine.heldBytes == 10)
    }

    /// Every interleaving of reads, starts, completions, writability
    /// changes and closes (2,000 random schedules): no count goes negative,
    /// responses leave in order, and after a close every completion is dropped.
    @Test func completionsInAnyOrderAroundACloseAreSafe() {
        for seed in 0..<2_000 {
            var random = SplitMix64(seed: UInt64(seed))
            var machine = Machine(limits: Self.limits, requiresHello: random.next() % 2 == 0)
            var running: [Machine.Start] = []
            var expectedNext: Int64 = 0
            var closedAt: Int?
            for step in 0..<60 {
                switch random.next() % 8 {
                case 0, 1:
                    if let sequence = machine.lineReceived() {
                        let work: [Machine.Work] = [.inline, .pool, .append, .exclusive]
                        machine.enqueue(sequence, Self.request(Int(sequence)), work: work[Int(random.next() % 4)], bytes: 20)
                    }
                case 2:
                    while let start = machine.nextStart() { running.append(start) }
                case 3, 4:
                    guard !running.isEmpty else { continue }
                    let done = running.remove(at: Int(random.next() % UInt64(running.count)))
                    let delivery = machine.complete(done.sequence, work: done.work, Self.bytes("\(done.sequence)"))
                    switch delivery {
                    case .dropped: #expect(closedAt != nil)
                    case .write(let buffers):
                        #expect(closedAt == nil)
                        for buffer in buffers {
                            #expect(Int64(String(buffer: buffer)) == expectedNext)
                            expectedNext += 1
                        }
                    }
                case 5: machine.writabilityChanged(random.next() % 2 == 0, now: .now())
                case 6:
                    if random.next() % 3 == 0 {
                        _ = machine.close()
                    } else {
                        _ = machine.beginDrain(announceShutdown: false)
                    }
                default:
                    if machine.authDeadlinePassed() != nil || machine.closeIfDrained() != nil {}
                }
                if machine.isClosed, closedAt == nil { closedAt = step }
                #expect(machine.inFlight.inline >= 0 && machine.inFlight.pool >= 0 && machine.inFlight.append >= 0)
                #expect(machine.inFlight.exclusive <= 1)
                #expect(machine.inFlight.pool <= Self.limits.poolJobs)
                #expect(machine.heldBytes >= 0)
            }
        }
    }
}

/// Guessing tokens is slow whatever the number of connections, and logged in summaries.
@Suite struct AuthThrottleTests {
    static let settings = AuthThrottle.Settings(
        baseDelay: .milliseconds(100), maxDelay: .seconds(1), maxBacklog: .seconds(3), forgetAfter: .seconds(60),
        summaryInterval: .seconds(10), maxPeers: 3)

    @Test func anAddressWithoutFailuresIsNeverDelayed() {
        let throttle = AuthThrottle(Self.settings)
        let now = NIODeadline.now()
        for _ in 0..<10 { #expect(throttle.admit(peer: "127.0.0.9", now: now) == .now) }
        #expect(throttle.count == 0)
    }

    @Test func afterAFailureEveryHelloFromTheAddressWaitsItsTurn() {
        let throttle = AuthThrottle(Self.settings)
        let start = NIODeadline.now()
        #expect(throttle.failed(peer: "a", now: start) == 1, "the first failure is logged at once")
        // Three connections at once: one turn each, 0.1 s apart, then 0.1 s more after the next failure.
        let turns = (0..<3).map { _ in throttle.admit(peer: "a", now: start) }
        #expect(turns == [.at(start + .milliseconds(100)), .at(start + .milliseconds(200)), .at(start + .milliseconds(300))])
        #expect(throttle.failed(peer: "a", now: start + .milliseconds(100)) == nil, "summarised, not logged each")
        #expect(throttle.admit(peer: "a", now: start + .milliseconds(100)) == .at(start + .milliseconds(400)))
        #expect(throttle.admit(peer: "b", now: start) == .now, "other addresses are not affected")
    }

    @Test func theDelayDoublesToItsCapAndTheBacklogIsBounded() {
        let throttle = AuthThrottle(Self.settings)
        let start = NIODeadline.now()
        for failure in 0..<10 { _ = throttle.failed(peer: "a", now: start + .milliseconds(Int64(failure))) }
        var refused = 0
        for _ in 0..<10 where throttle.admit(peer: "a", now: start) == .refused { refused += 1 }
        #expect(refused > 0, "turns more than the backlog away are refused unchecked")
        #expect(throttle.failed(peer: "a", now: start + .seconds(11)) == 10, "the next summary counts what came since")
    }

    @Test func addressesAreForgottenAndBounded() {
        let throttle = AuthThrottle(Self.settings)
        let start = NIODeadline.now()
        for peer in ["a", "b", "c", "d", "e"] { _ = throttle.failed(peer: peer, now: start) }
        #expect(throttle.count <= 4, "three addresses and one shared entry")
        #expect(throttle.admit(peer: "a", now: start + .seconds(61)) == .now)
    }
}
