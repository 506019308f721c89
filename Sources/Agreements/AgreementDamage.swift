/// Why an agreement's history could not be folded: the first stored event
/// of its stream that this build cannot read (an earlier build's rules let
/// it in). The agreement is shown as it stood before that event, marked
/// with this; later events of its stream are not folded into it, though
/// their law-enforcement figures still count in the statistics.
public struct AgreementDamage: Codable, Sendable, Hashable {
    /// The log position of the event that could not be folded.
    public var position: UInt64
    /// Why, as the decoder said.
    public var reason: String

    public init(position: UInt64, reason: String) {
        self.position = position
        self.reason = reason
    }
}
