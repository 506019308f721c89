import AccordCore

/// One police, Home Office or court request and what was decided.
public struct LawEnforcementAccessRecorded: Codable, Sendable, Hashable {
    public var requestReference: String
    public var requestDate: CalendarDate
    public var requesterType: RequesterType
    public var requesterOrganisation: String
    public var legalAuthority: String
    public var grounds: AccessGrounds
    /// Required unless `courtOrderReference` is given.
    public var evidenceReference: String?
    public var courtOrderReference: String?
    public var dataItemsRequested: [String]
    public var dataItemsDisclosed: [String]
    public var subjectsRequested: Int
    public var subjectsMatched: Int
    public var subjectsDisclosed: Int
    public var decision: AccessDecision
    public var decidedBy: String

    public init(
        requestReference: String, requestDate: CalendarDate, requesterType: RequesterType, requesterOrganisation: String,
        legalAuthority: String, grounds: AccessGrounds, evidenceReference: String? = nil, courtOrderReference: String? = nil,
        dataItemsRequested: [String], dataItemsDisclosed: [String], subjectsRequested: Int, subjectsMatched: Int,
        subjectsDisclosed: Int, decision: AccessDecision, decidedBy: String
    ) {
        self.requestReference = requestReference
        self.requestDate = requestDate
        self.requesterType = requesterType
        self.requesterOrganisation = requesterOrganisation
        self.legalAuthority = legalAuthority
        self.grounds = grounds
        self.evidenceReference = evidenceReference
        self.courtOrderReference = courtOrderReference
        self.dataItemsRequested = dataItemsRequested
        self.dataItemsDisclosed = dataItemsDisclosed
        self.subjectsRequested = subjectsRequested
        self.subjectsMatched = subjectsMatched
        self.subjectsDisclosed = subjectsDisclosed
        self.decision = decision
        self.decidedBy = decidedBy
    }
}

extension LawEnforcementAccessRecorded {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "requestReference", "requestDate", "requesterType", "requesterOrganisation", "legalAuthority", "grounds",
        "evidenceReference", "courtOrderReference", "dataItemsRequested", "dataItemsDisclosed", "subjectsRequested", "subjectsMatched",
        "subjectsDisclosed", "decision", "decidedBy")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(
            requestReference: try data.string(0), requestDate: try data.date(1), requesterType: try data.enumeration(2, RequesterType.self),
            requesterOrganisation: try data.string(3), legalAuthority: try data.string(4),
            grounds: try data.enumeration(5, AccessGrounds.self),
            evidenceReference: try data.optionalString(6), courtOrderReference: try data.optionalString(7),
            dataItemsRequested: try data.strings(8), dataItemsDisclosed: try data.strings(9), subjectsRequested: try data.int(10),
            subjectsMatched: try data.int(11), subjectsDisclosed: try data.int(12), decision: try data.enumeration(13, AccessDecision.self),
            decidedBy: try data.string(14))
    }
}
