import NIOCore

/// A connection's responses in request order.
///
/// Each request takes the next sequence number as it is read; responses may
/// be computed out of order (an append waits for its commit while a later
/// ping is answered at once) but leave in order: `complete` returns the
/// responses that can be written now.
struct ResponseQueue {
    /// The sequence number the next request gets.
    private(set) var next: UInt64 = 0
    /// The sequence number of the next response to write.
    private(set) var written: UInt64 = 0
    private var ready: [UInt64: ByteBuffer] = [:]
    /// Bytes of the responses held in `ready`.
    private(set) var heldBytes = 0

    /// Requests read and not yet answered (written).
    var outstanding: Int { Int(next - written) }

    /// A place for the next request's response.
    mutating func reserve() -> UInt64 {
        defer { next += 1 }
        return next
    }

    /// Records response `sequence` (an empty buffer writes nothing) and
    /// returns every response now due, in order.
    mutating func complete(_ sequence: UInt64, _ response: ByteBuffer) -> DueResponses {
        guard sequence == written else {
            ready[sequence] = response
            heldBytes += response.readableBytes
            return DueResponses()
        }
        var due = DueResponses(first: response)
        written += 1
        while let following = ready.removeValue(forKey: written) {
            heldBytes -= following.readableBytes
            due.rest.append(following)
            written += 1
        }
        return due
    }
}

/// The responses a completion made due, in order: almost always the one
/// just completed, held without allocating an array for it.
struct DueResponses: Sequence {
    var first: ByteBuffer?
    /// Later responses that waited for `first`.
    var rest: [ByteBuffer] = []

    var isEmpty: Bool { first == nil }

    func makeIterator() -> Iterator { Iterator(first: first, rest: rest.makeIterator()) }

    struct Iterator: IteratorProtocol {
        var first: ByteBuffer?
        var rest: IndexingIterator<[ByteBuffer]>

        mutating func next() -> ByteBuffer? {
            if let next = first {
                first = nil
                return next
            }
            return rest.next()
        }
    }
}
