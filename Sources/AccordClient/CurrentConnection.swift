import AccordCore
import Synchronization

/// The connection a stream currently runs on, for its buffer's pressure.
final class CurrentConnection: Sendable {
    private let connection = Mutex<ClientConnection?>(nil)

    func set(_ new: ClientConnection) { connection.withLock { $0 = new } }

    func pressure(_ full: Bool) { connection.withLock { $0 }?.pressure(full) }
}
