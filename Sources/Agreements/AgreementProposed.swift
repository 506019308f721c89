import AccordCore

/// An application to share data: the first event of every agreement.
public struct AgreementProposed: Codable, Sendable, Hashable {
    public var recipient: Recipient
    public var projectTitle: String
    public var purpose: String
    public var publicBenefit: String
    /// Datasets drawn on, e.g. `npd`, `ilr`, `school_workforce`.
    public var datasets: [String]
    /// Data items requested, e.g. `name`, `date_of_birth`, `ks4_results`.
    public var dataItems: [String]
    public var identifiability: Identifiability
    /// Whether special-category (Article 9) data is involved.
    public var specialCategory: Bool
    public var accessRoute: AccessRoute
    public var frequency: Frequency
    public var requestedStart: CalendarDate
    public var requestedEnd: CalendarDate
    public var proposer: String

    public init(
        recipient: Recipient, projectTitle: String, purpose: String, publicBenefit: String, datasets: [String],
        dataItems: [String], identifiability: Identifiability, specialCategory: Bool, accessRoute: AccessRoute,
        frequency: Frequency, requestedStart: CalendarDate, requestedEnd: CalendarDate, proposer: String
    ) {
        self.recipient = recipient
        self.projectTitle = projectTitle
        self.purpose = purpose
        self.publicBenefit = publicBenefit
        self.datasets = datasets
        self.dataItems = dataItems
        self.identifiability = identifiability
        self.specialCategory = specialCategory
        self.accessRoute = accessRoute
        self.frequency = frequency
        self.requestedStart = requestedStart
        self.requestedEnd = requestedEnd
        self.proposer = proposer
    }
}

extension AgreementProposed {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "recipient", "projectTitle", "purpose", "publicBenefit", "datasets", "dataItems", "identifiability", "specialCategory",
        "accessRoute", "frequency", "requestedStart", "requestedEnd", "proposer")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(
            recipient: try data.object(0, keys: Recipient.keys, Recipient.init), projectTitle: try data.string(1),
            purpose: try data.string(2),
            publicBenefit: try data.string(3), datasets: try data.strings(4), dataItems: try data.strings(5),
            identifiability: try data.enumeration(6, Identifiability.self), specialCategory: try data.bool(7),
            accessRoute: try data.enumeration(8, AccessRoute.self), frequency: try data.enumeration(9, Frequency.self),
            requestedStart: try data.date(10), requestedEnd: try data.date(11), proposer: try data.string(12))
    }
}
