import AccordCore
import Agreements

/// Which row of a law-enforcement sheet a request counts in: its sheet,
/// the month of its request date, and (police and courts) who asked.
struct AccessRowKey: Sendable, Hashable, Comparable {
    enum Sheet: Int, Sendable, Hashable {
        case homeOffice
        case police
        case court
    }

    var sheet: Sheet
    /// The first day of the request's month.
    var month: CalendarDate
    /// `police` or `other` on the police sheet; empty elsewhere.
    var requesterType: String
    /// The requesting organisation; empty on the Home Office sheet (one requester).
    var organisation: String

    init(_ access: AccessSummary, organisation: String) {
        let (year, month, _) = Timestamp.civil(day: access.requestDate.day)
        self.month = CalendarDate(day: Timestamp.day(year: year, month: month, day: 1))
        switch access.requesterType {
        case .homeOffice:
            sheet = .homeOffice
            requesterType = ""
            self.organisation = ""
        case .court:
            sheet = .court
            requesterType = ""
            self.organisation = organisation.publishedText
        case .police, .other:
            sheet = .police
            requesterType = access.requesterType.rawValue
            self.organisation = organisation.publishedText
        }
    }

    static func < (a: AccessRowKey, b: AccessRowKey) -> Bool {
        (a.sheet.rawValue, a.month, a.requesterType, a.organisation) < (b.sheet.rawValue, b.month, b.requesterType, b.organisation)
    }
}
