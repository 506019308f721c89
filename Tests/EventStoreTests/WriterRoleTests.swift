import EventStore
import Foundation
import Testing

/// The writer role is a lock with a watchdog: state bound to it is touched
/// only by its holder.
@Suite struct WriterRoleTests {
    @Test func theRoleIsHeldInsideRunOnly() {
        let role = WriterRole()
        #expect(!WriterRole.isHeld)
        role.run { #expect(WriterRole.isHeld) }
        #expect(!WriterRole.isHeld)
    }

    @Test func holdersTakeTurns() async {
        let role = WriterRole()
        let bound = WriterBound(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<1_000 { role.run { bound.value += 1 } } }
            }
        }
        #expect(role.run { bound.value } == 8_000)
    }

    @Test func boundStateOutsideTheRoleStopsADebugBuild() async {
        #if DEBUG
        await #expect(processExitsWith: .failure) {
            let bound = WriterBound([1, 2, 3])
            _ = bound.value.count
        }
        #endif
    }
}
