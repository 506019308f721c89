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
