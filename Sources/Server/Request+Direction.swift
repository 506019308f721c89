import EventStore
import WireProtocol

extension Request.Direction {
    /// The store's scan direction for this wire direction.
    var scan: ScanDirection {
        switch self {
        case .forward: .forward
        case .backward: .backward
        }
    }
}
