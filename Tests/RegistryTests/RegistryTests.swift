import AccordCore
import AccordJSON
import Agreements
import AgreementsTesting
import EventStore
import Foundation
import LMDB
import Registry
import Testing

@Suite struct RegistryTests {
    let fixture = RegistryFixture()

    @Test func anInvalidEventIsRefusedAndNothingIsWritten() async throws {
        let (store, registry) = try fixture.open()
        try await store.append("DSA-1", Samples.proposal())
        await #expect(throws: AgreementError.invalidTransition("cannot approve DSA-1: no lawful legal review recorded")) {
            try await store.append("DSA-1", Samples.approval())
        }
        await #expect(throws: AgreementError.self) {
            try await store.append("DSA-2", Samples.review())
        }
        // A request is atomic: a valid first event is discarded with an invalid second one.
        await #expect(throws: AgreementError.self) {
            try await store.append("DSA-1", Samples.review(), Samples.suspension)
        }
        #expect(store.head == 1)
        let stored = try store.read { try registry.agreement("DSA-1", in: $0) }
        #expect(stored?.status == .proposed)
        #expect(stored?.review == nil)
    }

    @Test func unknownEventTypesAreRefusedOnAgreementStreamsButSystemStreamsAreFree() async throws {
        let (store, _) = try fixture.open()
        let odd = NewEvent(eventId: .timeOrdered(), type: "Whatever", data: .emptyObject)
        await #expect(throws: AgreementError.self) { try await store.append(to: StreamName("DSA-1"), events: [odd]) }
        try await store.append(to: StreamName("$audit"), events: [odd])
        #expect(store.head == 1)
    }

    @Test func theProjectionsFollowALifecycle() async throws {
        let (store, registry) = try fixture.open()
        try await store.append("DSA-1", Samples.proposal(), Samples.review(), Samples.approval(start: "2025-01-01", end: "2025-12-31"))
        try await store.append("DSA-1", Samples.access(on: "2025-03-10", subjects: 2))
        try await store.append("DSA-1", Samples.access(on: "2025-04-02", decision: .refused))
        try await store.append("DSA-1", Samples.renewal(to: "2026-06-30"))
        try await store.append("DSA-2", Samples.proposal(Samples.university))
        try await store.append("DSA-1", Samples.revocation(on: "2026-01-31"), on: "2026-01-31")
        try store.read { txn in
            let rows = try registry.register(on: date("2026-01-15"), in: txn)
            #expect(rows.map(\.reference) == ["DSA-1", "DSA-2"])
            let row = rows[0]
            #expect(row.status == .revoked)
            #expect(row.effectiveStatus == .inForce)
            #expect(row.endDate == date("2026-06-30"))
            #expect(row.lastRenewal == date("2025-11-01"))
            #expect(row.revokedOn == date("2026-01-31"))
            #expect(row.lawEnforcementRequests == 2)
            #expect(row.lawEnforcementDisclosures == 1)
            #expect(row.gatewayId == "dpa-2018-s2p2")
            #expect(try registry.register(on: date("2026-02-01"), in: txn)[0].effectiveStatus == .revoked)
            #expect(try registry.agreements(ofRecipient: Samples.university.id, in: txn).map(\.id) == ["DSA-2"])
            #expect(
                try registry.register(on: date("2026-01-15"), filter: RegisterFilter(recipientId: Samples.police.id), in: txn).count == 1)
            let statistics = try registry.statistics(in: txn)
            #expect(statistics.rows["quarter|2025-Q1|police"]?.disclosures == 1)
            #expect(statistics.rows["quarter|2025-Q2|police"]?.refusals == 1)
        }
    }

    @Test func aChangedProjectionVersionRebuildsOnOpen() async throws {
        var before: RegisterState
        do {
            let (store, registry) = try fixture.open()
            try await store.append("DSA-1", Samples.proposal(), Samples.review(), Samples.approval())
            try await store.append("DSA-1", Samples.access())
            before = try registry.storedState(store)
            let meta = try store.read { try Database<String, UInt64>.open("projection_meta", in: $0, create: false)! }
            let agreements = try store.read { try Database<String, [UInt8]>.open("agreements", in: $0, create: false)! }
            try store.environment.write { txn in
                try txn.put(meta, "version", 0)
                try txn.clear(agreements)
            }
            store.close()
        }
        var options = Environment.Options()
        options.mapSize = 64 << 20
        let env = try Environment(path: fixture.dir.path, options: options)
        let registry = try Registry(environment: env)
        let store = try EventStore(environment: env, hook: registry.hook)
        var reports: [UInt64] = []
        #expect(try registry.attach(store) { done, _ in reports.append(done) })
        #expect(reports.last == 4)
        #expect(try registry.storedState(store) == before)
        #expect(try registry.attach(store) == false)
    }

    @Test func asOfAPositionOrARecordedTimeReplaysTheLog() async throws {
        let clock = SteppingClock(start: Timestamp(rfc3339: "2025-01-01T00:00:00Z")!, step: 3_600_000_000)
        let (store, registry) = try fixture.open(clock: clock.next)
        try await store.append("DSA-1", Samples.proposal())  // 0, 01:00
        try await store.append("DSA-1", Samples.review())  // 1, 02:00
        try await store.append("DSA-1", Samples.approval())  // 2, 03:00
        try await store.append("DSA-1", Samples.suspension)  // 3, 04:00
        #expect(try registry.state(asOf: .position(1), in: store).agreements["DSA-1"]?.status == .proposed)
        #expect(try registry.state(asOf: .position(3), in: store).agreements["DSA-1"]?.status == .approved)
        #expect(try registry.state(asOf: .head, in: store).agreements["DSA-1"]?.status == .suspended)
        #expect(try registry.state(asOf: .position(0), in: store).agreements.isEmpty)
        let at = { (text: String) in AsOf.recordedAt(Timestamp(rfc3339: text)!) }
        #expect(try registry.position(of: at("2025-01-01T00:30:00Z"), in: store) == 0)
        #expect(try registry.position(of: at("2025-01-01T01:00:00Z"), in: store) == 1)
        #expect(try registry.position(of: at("2025-01-01T03:59:59Z"), in: store) == 3)
        #expect(try registry.position(of: at("2030-01-01T00:00:00Z"), in: store) == 4)
        #expect(try registry.state(asOf: at("2025-01-01T03:30:00Z"), in: store).agreements["DSA-1"]?.status == .approved)
    }
}

/// A clock that moves forward by a fixed step on every reading.
final class SteppingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Timestamp
    private let step: Int64

    init(start: Timestamp, step: Int64) {
        now = start
        self.step = step
    }

    @Sendable func next() -> Timestamp {
        lock.lock()
        defer { lock.unlock() }
        now.microseconds += step
        return now
    }
}

/// "What was in force on D" (effective time) and "what did the register say
/// on D" (recorded time) differ when an event is backdated.
@Suite struct TwoTimelinesTests {
    let fixture = RegistryFixture()

    @Test func aBackdatedRevocationChangesThePastInForceButNotWhatTheRegisterSaid() async throws {
        let clock = ManualClock(Timestamp(rfc3339: "2025-01-10T09:00:00Z")!)
        let (store, registry) = try fixture.open(clock: clock.read)
        try await store.append("DSA-1", Samples.proposal(), Samples.review(), Samples.approval(), on: "2025-01-10")
        // Recorded on 10 March, effective from 1 March.
        clock.set(Timestamp(rfc3339: "2025-03-10T15:00:00Z")!)
        try await store.append("DSA-1", Samples.revocation(on: "2025-03-01"), on: "2025-03-01")
        let day = { (text: String) in Timestamp(rfc3339: text + "T23:59:59.999999Z")! }
        func status(_ asOf: AsOf, on text: String) throws -> EffectiveStatus? {
            try registry.state(asOf: asOf, in: store).register(on: date(text)).first?.effectiveStatus
        }
        // What the register said on 5 March: in force (the revocation was not yet recorded).
        #expect(try status(.recordedAt(day("2025-03-05")), on: "2025-03-05") == .inForce)
        // What was in force on 5 March, as we know now: revoked from 1 March.
        #expect(try status(.effectiveAt(day("2025-03-05")), on: "2025-03-05") == .revoked)
        // Before the revocation took effect both timelines agree.
        #expect(try status(.effectiveAt(day("2025-02-20")), on: "2025-02-20") == .inForce)
        #expect(try status(.recordedAt(day("2025-02-20")), on: "2025-02-20") == .inForce)
        // After it was recorded, both say revoked.
        #expect(try status(.recordedAt(day("2025-03-11")), on: "2025-03-11") == .revoked)
        #expect(try status(.effectiveAt(day("2025-03-11")), on: "2025-03-11") == .revoked)
        // An approval effective later than D does not count on D.
        #expect(try registry.state(asOf: .effectiveAt(day("2025-01-05")), in: store).agreements.isEmpty)
    }
}

/// A clock the test sets.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Timestamp

    init(_ start: Timestamp) { now = start }

    func set(_ time: Timestamp) {
        lock.lock()
        now = time
        lock.unlock()
    }

    @Sendable func read() -> Timestamp {
        lock.lock()
        defer { lock.unlock() }
        return now
    }
}
