import AccordCore
import Testing

/// The one waiting primitive: settles once, wakes every waiter, and lets a
/// cancelled waiter go without settling.
@Suite struct EventualTests {
    struct Failed: Error, Equatable {}

    @Test func everyWaiterGetsTheFirstResult() async throws {
        let eventual = Eventual<Int>()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { try await eventual.value() } }
            try await Task.sleep(for: .milliseconds(20))
            #expect(eventual.succeed(7))
            #expect(!eventual.fail(Failed()))
            for try await value in group { #expect(value == 7) }
        }
        #expect(try await eventual.value() == 7)
    }

    @Test func aFailureReachesEveryWaiter() async {
        let eventual = Eventual<Int>()
        eventual.fail(Failed())
        await #expect(throws: Failed.self) { try await eventual.value() }
        #expect(eventual.isResolved)
    }

    @Test func aCancelledWaiterStopsAndOthersKeepWaiting() async throws {
        let eventual = Eventual<Int>()
        let cancelled = Task { try await eventual.value() }
        let patient = Task { try await eventual.value() }
        try await Task.sleep(for: .milliseconds(20))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(!eventual.isResolved)
        eventual.succeed(3)
        #expect(try await patient.value == 3)
    }

    @Test func aTaskCancelledBeforeWaitingDoesNotWait() async {
        let eventual = Eventual<Int>()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await eventual.value()
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
