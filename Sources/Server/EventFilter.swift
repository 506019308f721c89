import AccordJSON
import Agreements
import EventStore
import LMDB
import Registry
import WireProtocol

/// The `types`, `agreementId` and `recipientId` filters of `read_all` and `subscribe`.
struct EventFilter: Sendable {
    var types: Set<String>?
    var agreement: StreamName?
    var recipientId: String?
    let registry: Registry

    init(_ request: Request, registry: Registry) throws(WireError) {
        types = try request.optionalStrings("types").map(Set.init)
        agreement = try request.optionalAgreementId()
        recipientId = try request.optionalString("recipientId")
        self.registry = registry
    }

    /// Whether `event` passes (types are already filtered by the scan).
    func matches(_ event: RecordedEvent, in txn: Transaction) throws -> Bool {
        if let types, !types.contains(event.type) { return false }
        if let agreement, event.stream != agreement { return false }
        if let recipientId {
            guard !event.stream.isSystem, let agreement = try registry.agreement(event.stream.rawValue, in: txn) else { return false }
            return agreement.recipient.id == recipientId
        }
        return true
    }
}
