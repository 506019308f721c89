import AccordCore
import EventStore
import LMDB
import Testing

/// Where a log's RFC 8785 canonical form began (`rfc8785_from` in `meta`).
@Suite struct CanonicalFormTests {
    let fixture = Fixture()

    /// A new log is RFC 8785 from its first event; the mark, once written, never moves.
    @Test func aNewLogIsRFC8785FromTheStart() async throws {
        do {
            let store = try fixture.store()
            #expect(store.canonicalFormSince == 0)
            try await store.append(to: stream("S"), events: [event()])
        }
        let reopened = try fixture.store()
        #expect(reopened.canonicalFormSince == 0)
        #expect(reopened.head == 1)
    }

    /// A log written before the mark existed gets it at its head on the first writable open.
    @Test func anOlderLogIsMarkedAtItsHead() async throws {
        do {
            let store = try fixture.store()
            try await store.append(to: stream("S"), events: [event(), event()])
        }
        do {
            let environment = try fixture.environment()
            try environment.write { txn in
                let meta = try #require(try Database<String, UInt64>.open("meta", in: txn, create: false))
                #expect(try txn.delete(meta, "rfc8785_from"))
            }
        }
        #expect(try fixture.store().canonicalFormSince == 2)
    }
}
