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
    mutating func complete(_ sequence: UInt64, _ response: ByteBuffer) -> [ByteBuffer] {
        guard sequence == written else {
            ready[sequence] = response
            heldBytes += response.readableBytes
            return []
        }
        var due = [response]
        written += 1
        while let following = ready.removeValue(forKey: written) {
            heldBytes -= following.readableBytes
            due.append(following)
            written += 1
        }
        return due
    }
}
