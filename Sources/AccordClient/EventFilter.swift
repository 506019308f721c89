import AccordCore
import WireProtocol

/// Which events a subscription delivers; every set member must match.
public struct EventFilter: Sendable, Hashable {
    public var types: [String]?
    public var agreementId: String?
    public var recipientId: String?

    public init(types: [String]? = nil, agreementId: String? = nil, recipientId: String? = nil) {
        self.types = types
        self.agreementId = agreementId
        self.recipientId = recipientId
    }

    /// The selection a `subscribe` command carries; an agreement id that is
    /// not a stream name is refused here, as the server would refuse it.
    func selection() throws(ClientError) -> EventSelection {
        var stream: StreamName?
        if let agreementId {
            do { stream = try StreamName(agreementId) } catch { throw .usage("agreementId: \(error.message)") }
        }
        return EventSelection(types: types.map(Set.init), agreementId: stream, recipientId: recipientId)
    }
}
