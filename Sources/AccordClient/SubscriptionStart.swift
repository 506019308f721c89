import AccordCore
import WireProtocol

/// Where a subscription starts.
public enum SubscriptionStart: Sendable, Hashable {
    /// The first event of the log.
    case start
    /// The head when the subscription starts: live events only.
    case end
    /// The event at this position.
    case position(Position)

    var command: SubscribeCommand.Start {
        switch self {
        case .start: .start
        case .end: .end
        case .position(let position): .position(position)
        }
    }
}
