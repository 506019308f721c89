import AccordCore
import AccordJSON

/// The parts of a law-enforcement request that the projections count.
///
/// Replays read these few members straight from the stored canonical JSON
/// instead of decoding the whole request: a log is mostly such requests.
public struct AccessSummary: Sendable, Hashable {
    public var requestDate: CalendarDate
    public var requesterType: RequesterType
    public var decision: AccessDecision
    public var subjectsRequested: Int
    public var subjectsMatched: Int
    public var subjectsDisclosed: Int
    /// Who asked, read only when asked for (`readingOrganisation`): the
    /// statistics do not need it, and replays skip the allocation.
    public var requesterOrganisation: String?

    /// Reads the members from a `LawEnforcementAccessRecorded` event's data.
    public init(data: CanonicalJSON, readingOrganisation: Bool = false) throws(AgreementError) {
        let result = data.bytes.withUnsafeBytes { raw in
            Result { () throws(AgreementError) in try AccessSummary(canonical: raw, readingOrganisation: readingOrganisation) }
        }
        self = try result.get()
    }

    /// Reads the members from canonical JSON bytes in place.
    public init(canonical bytes: UnsafeRawBufferPointer, readingOrganisation: Bool = false) throws(AgreementError) {
        var organisation: String?
        var date: CalendarDate?
        var requester: RequesterType?
        var decision: AccessDecision?
        var counts = [-1, -1, -1]
        // Canonical JSON: these values are plain strings without escapes and
        // plain decimal integers, so they are read straight from the bytes.
        func string(_ value: UnsafeRawBufferPointer) -> String? {
            guard value.count >= 2, value.first == 0x22, value.last == 0x22, !value.contains(0x5C) else {
                return (try? JSONParser.parse(value))?.stringValue
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: value.dropFirst().dropLast()), as: UTF8.self)
        }
        func int(_ value: UnsafeRawBufferPointer) -> Int {
            guard !value.isEmpty, value.count < 18, value.allSatisfy({ $0 &- 48 < 10 }) else {
                return (try? JSONParser.parse(value))?.int64Value.map(Int.init) ?? -1
            }
            return value.reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        func named(_ key: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
            key.equals(name)
        }
        let complete = JSONMemberScanner.forEachMember(in: bytes) { key, value in
            guard let first = key.first else { return }
            switch first {
            case UInt8(ascii: "r"):
                if named(key, "requestDate") {
                    date = CalendarDate(quoted: value) ?? string(value).flatMap { CalendarDate(stored: $0) }
                } else if named(key, "requesterType") {
                    requester = string(value).flatMap(RequesterType.init(rawValue:))
                } else if readingOrganisation, named(key, "requesterOrganisation") {
                    organisation = string(value)
                }
            case UInt8(ascii: "d"):
                if named(key, "decision") { decision = string(value).flatMap(AccessDecision.init(rawValue:)) }
            case UInt8(ascii: "s"):
                if named(key, "subjectsRequested") {
                    counts[0] = int(value)
                } else if named(key, "subjectsMatched") {
                    counts[1] = int(value)
                } else if named(key, "subjectsDisclosed") {
                    counts[2] = int(value)
                }
            default: break
            }
        }
        guard complete, let date, let requester, let decision, !counts.contains(-1) else {
            throw .validationFailed("LawEnforcementAccessRecorded: a stored request lacks the fields the statistics count")
        }
        self.init(
            requestDate: date, requesterType: requester, decision: decision,
            subjectsRequested: counts[0], subjectsMatched: counts[1], subjectsDisclosed: counts[2])
        requesterOrganisation = organisation
    }

    public init(
        requestDate: CalendarDate, requesterType: RequesterType, decision: AccessDecision,
        subjectsRequested: Int, subjectsMatched: Int, subjectsDisclosed: Int
    ) {
        self.requestDate = requestDate
        self.requesterType = requesterType
        self.decision = decision
        self.subjectsRequested = subjectsRequested
        self.subjectsMatched = subjectsMatched
        self.subjectsDisclosed = subjectsDisclosed
    }
}

extension LawEnforcementAccessRecorded {
    public var summary: AccessSummary {
        AccessSummary(
            requestDate: requestDate, requesterType: requesterType, decision: decision,
            subjectsRequested: subjectsRequested, subjectsMatched: subjectsMatched, subjectsDisclosed: subjectsDisclosed)
    }
}
