/// Who asked for data under a law-enforcement agreement. A shared value
/// (not only the domain's): queries filter by it, so the protocol layer and
/// clients name it without the domain.
public enum RequesterType: String, Codable, Sendable, CaseIterable {
    case police
    case homeOffice = "home_office"
    case court
    case other
}
