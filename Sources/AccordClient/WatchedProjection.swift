import AccordCore
import AccordJSON
import Synchronization

/// A projection a watch follows.
public enum WatchedProjection: Sendable, Hashable {
    case register
    case recipient(String)
    case lawEnforcementStats

    var members: [String: JSONValue] {
        switch self {
        case .register: ["projection": "register"]
        case .recipient(let id): ["projection": "recipient", "recipientId": .string(id)]
        case .lawEnforcementStats: ["projection": "law_enforcement_stats"]
        }
    }
}
