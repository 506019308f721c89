import AccordCore
import AccordJSON
import Synchronization

/// What a subscription delivers.
public enum SubscriptionMessage: Sendable, Equatable {
    /// The next event that passes the filter, in position order.
    case event(RecordedEvent)
    /// The subscription has delivered every event before `Position`: from
    /// now on events are live. Delivered once, even across reconnections.
    case caughtUp(Position)
}
