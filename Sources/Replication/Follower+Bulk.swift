import AccordClient
import AccordCore
import AccordJSON
import Agreements
import EventStore
import Foundation

extension Follower {
    /// Events asked for in one `read_records` page, and at most how many bytes of frames.
    static let pageEvents = 4_096
    static let pageBytes = 16 << 20
    /// Pages asked for before the first of them is written.
    static let pagesInFlight = 3

    /// One page of stored records, checked and hashed (and folded, when the
    /// projections follow the copy), with where the primary said it ends and
    /// its head when it answered.
    typealias Page = (copy: StoredCopy, delta: RegisterDelta?, next: Position, head: Position)

    /// Copies a large backlog as the primary stores it (`read_records`),
    /// until level with the primary's head as the last page saw it; the
    /// projections are left behind, to be rebuilt once.
    ///
    /// Several pages are asked for at once and checked and hashed as they
    /// arrive, while the writer writes the one before: the primary's reads,
    /// the network, the hashing and the writer overlap. With `folding`, each
    /// page is also folded into the projections' delta as it arrives (on the
    /// same cores, while the writer writes), returned in log order, so the
    /// projections need no fold of the whole log afterwards. A primary
    /// without `read_records` (an older version) is copied through the
    /// subscription instead.
    func copyStoredRecords(from client: AccordClient, folding: Bool) async throws -> RegisterDelta {
        var from = store.head
        var folded = RegisterDelta()
        logger.info("replication: copying stored records", metadata: ["primary": "\(primary)", "from": "\(from)"])
        do {
            while let resume = try await copyPages(from: from, client: client, folding: folding, into: &folded) { from = resume }
        } catch ClientError.server(let code, let message, _) where code == .unknownOp {
            logger.warning("replication: the primary cannot send stored records; copying event by event", metadata: ["said": "\(message)"])
        }
        return folded
    }

    /// Copies pages of `pageEvents` from `start`, `pagesInFlight` asked for
    /// at a time, written in order. Returns `nil` once level with the
    /// primary, or where to start again when a page came back short of the
    /// primary's head (its events were too large for `pageBytes`), which
    /// leaves the pages asked for after it misplaced.
    private func copyPages(
        from start: Position, client: AccordClient, folding: Bool, into folded: inout RegisterDelta
    ) async throws -> Position? {
        try await withThrowingTaskGroup(of: (Int, Page).self) { group in
            let position = { (index: Int) in start + Position(index * Self.pageEvents) }
            var primaryHead = max(progress.withLock { $0.primaryHead }, start + 1)
            var (asked, written) = (0, 0)
            var arrived: [Int: Page] = [:]
            while true {
                while asked < written + Self.pagesInFlight, position(asked) < primaryHead {
                    let (index, from) = (asked, position(asked))
                    group.addTask { (index, try await self.fetch(from: from, client: client, folding: folding)) }
                    asked += 1
                }
                guard let (index, page) = try await group.next() else { return nil }
                arrived[index] = page
                while let page = arrived.removeValue(forKey: written) {
                    let head = try await commit(first: position(written), count: page.copy.count) { try await self.store.copy(page.copy) }
                    written += 1
                    if let delta = page.delta { folded.append(delta) }
                    primaryHead = max(primaryHead, page.head)
                    if page.next < position(written) {
                        group.cancelAll()
                        return page.next < page.head ? head : nil
                    }
                }
            }
        }
    }

    private static let recordsMember = Array(#","records":""#.utf8)
    private static let lineEnd = Array(#""}}"#.utf8)

    /// One page of stored records from `position`, checked and hashed.
    ///
    /// The answer's line is read without a JSON tree: `records`, the last
    /// member (canonical order), is base64 decoded where it lies, and the
    /// small members before it are parsed alone.
    private func fetch(from position: Position, client: AccordClient, folding: Bool) async throws -> Page {
        let line = try await client.requestLine(
            "read_records",
            [
                "from": .integer(Int64(position)), "limit": .integer(Int64(Self.pageEvents)),
                "maxBytes": .integer(Int64(Self.pageBytes)),
            ])
        guard let member = line.prefix(512).firstRange(of: Self.recordsMember), line.count >= member.upperBound + 3,
            line.suffix(3).elementsEqual(Self.lineEnd),
            let result = try? JSONParser.parse(Array(line[..<member.lowerBound]) + Array("}}".utf8))["result"],
            let next = result["next"]?.int64Value, let head = result["head"]?.int64Value
        else { throw ClientError.unexpectedAnswer("read_records answered without records, next or head") }
        guard let format = result["format"]?.int64Value, format == StoredRecords.format else {
            throw ReplicationError.configuration(
                "the primary stores records in format \(result["format"].map(String.init(describing:)) ?? "?"), this replica in "
                    + "\(StoredRecords.format): upgrade the replica first")
        }
        guard let framed = Data(base64Encoded: Data(line[member.upperBound..<line.count - 3])) else {
            throw ClientError.unexpectedAnswer("read_records answered records that are not base64")
        }
        let copy: StoredCopy
        do { copy = try store.prepareCopy(StoredRecords(framed: Array(framed))) } catch {
            throw ReplicationError.diverged("the primary's stored records from position \(position) are not valid: \(error)")
        }
        guard copy.count == Int(next) - Int(position), copy.first.map({ $0 == position }) ?? true else {
            throw ReplicationError.diverged("the primary's page from position \(position) holds positions it did not say")
        }
        progress.withLock { $0.primaryHead = max($0.primaryHead, Position(head)) }
        guard folding else { return (copy, nil, Position(next), Position(head)) }
        do {
            return (copy, try registry.delta(folding: copy), Position(next), Position(head))
        } catch {
            throw ReplicationError.diverged("the primary's events from position \(position) cannot be projected here: \(error)")
        }
    }
}
