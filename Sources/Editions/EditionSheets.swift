import AccordCore
import Agreements

/// The department's sheets, in its order, built from a fold on the edition's date.
public enum EditionSheets {
    public static let classification = "Classification of data"
    public static let dsap = "DSAP-approved shares"
    public static let regular = "Regular shares"
    public static let npd = "Pre-2018 NPD shares still held"
    public static let homeOffice = "Home Office"
    /// "Police and criminal investigation authorities" is 45 characters; a
    /// workbook sheet name holds 31, so the sheet says it shorter and its
    /// title (cover, CSV, site) in full.
    public static let police = "Police & criminal investigation"
    public static let court = "Court orders"
    static let shareSheetNames = [dsap, regular, npd]

    /// Decisions before this date were made under the old National Pupil Database scheme.
    static let panelEra = CalendarDate("2018-04-01")!

    static let shareColumns: [EditionSheet.Column] = [
        .init("Reference", width: 12), .init("Recipient", width: 28), .init("Recipient ID", width: 10),
        .init("Recipient category", width: 16), .init("Project title", width: 30), .init("Purpose", width: 40),
        .init("Legal gateway", width: 30), .init("Lawful basis", width: 14), .init("Data items", width: 30),
        .init("Classification", width: 14), .init("Special category data", width: 8), .init("Access route", width: 16),
        .init("Frequency", width: 9), .init("Decision date", width: 11), .init("Start date", width: 11), .init("End date", width: 11),
        .init("Review date", width: 11), .init("Last renewal", width: 11), .init("Status on the edition date", width: 14),
        .init("Revoked on", width: 11), .init("Law-enforcement requests", width: 10), .init("Individuals disclosed", width: 10),
        .init("Last event position", width: 10),
    ]
}

extension EditionFold {
    /// The seven sheets as they stand on `date`, after the events folded so far.
    public func sheets(on date: CalendarDate, gateways: GatewayCatalogue = .standard) -> [EditionSheet] {
        var shares: [String: [[EditionCell]]] = [:]
        var classes: [Identifiability: (live: Int, special: Int, all: Int)] = [:]
        for id in state.agreements.keys.sorted() {
            let a = state.agreements[id]!
            guard let sheet = Self.shareSheet(a, on: date) else { continue }
            shares[sheet, default: []].append(Self.shareRow(a, on: date, gateways: gateways))
            let live = a.effectiveStatus(on: date).isLive
            classes[a.identifiability, default: (0, 0, 0)].all += 1
            if live { classes[a.identifiability, default: (0, 0, 0)].live += 1 }
            if live && a.specialCategory { classes[a.identifiability, default: (0, 0, 0)].special += 1 }
        }
        return [classificationSheet(classes)] + EditionSheets.shareSheetNames.map { shareSheet($0, rows: shares[$0] ?? []) }
            + lawEnforcementSheets()
    }

    /// Which share sheet an agreement belongs on, if any: only agreements a
    /// panel approved are shares; one approved before the panel era is
    /// listed only while the recipient may still hold the data.
    static func shareSheet(_ a: Agreement, on date: CalendarDate) -> String? {
        guard a.startDate != nil, let decided = a.decisionDate else { return nil }
        if decided < EditionSheets.panelEra { return a.effectiveStatus(on: date).isLive ? EditionSheets.npd : nil }
        return a.frequency == .regular ? EditionSheets.regular : EditionSheets.dsap
    }

    static func shareRow(_ a: Agreement, on date: CalendarDate, gateways: GatewayCatalogue) -> [EditionCell] {
        let gateway = a.review.map { gateways[$0.gatewayId]?.title ?? $0.gatewayId }
        return [
            .published(a.id), .published(a.recipient.name), .published(a.recipient.id), .text(a.recipient.category.rawValue),
            .published(a.projectTitle), .published(a.purpose), gateway.map { .published($0) } ?? .empty,
            a.review.map { .text($0.lawfulBasis.rawValue) } ?? .empty, .published(a.dataItems.joined(separator: "; ")),
            .text(a.identifiability.rawValue), .flag(a.specialCategory), .text(a.accessRoute.rawValue), .text(a.frequency.rawValue),
            .date(a.decisionDate), .date(a.startDate), .date(a.endDate), .date(a.reviewDate), .date(a.lastRenewal),
            .text(a.effectiveStatus(on: date).rawValue), .date(a.revokedOn), .number(a.lawEnforcement.requests),
            .number(a.lawEnforcement.subjectsDisclosed), .number(Int(a.lastPosition)),
        ]
    }

    private func shareSheet(_ name: String, rows: [[EditionCell]]) -> EditionSheet {
        let (file, description): (String, String) =
            switch name {
            case EditionSheets.dsap:
                (
                    "dsap-approved-shares.csv",
                    "Third-party shares approved by the Data Sharing Approval Panel (decided on or after 1 April 2018), one-off or project-based."
                )
            case EditionSheets.regular:
                ("regular-shares.csv", "Regular shares covered by data sharing agreements (decided on or after 1 April 2018).")
            default:
                (
                    "pre-2018-npd-shares-still-held.csv",
                    "National Pupil Database shares approved before 1 April 2018 that are still in force, suspended or not yet started on the edition date."
                )
            }
        return EditionSheet(
            name: name, title: name, file: file, description: description, columns: EditionSheets.shareColumns, keyColumns: 1, rows: rows)
    }

    private func classificationSheet(_ classes: [Identifiability: (live: Int, special: Int, all: Int)]) -> EditionSheet {
        let meanings: [Identifiability: String] = [
            .identifiable: "Pupil-level data that identifies individuals (names, addresses, dates of birth).",
            .pseudonymised:
                "Pupil-level data with direct identifiers removed or replaced; individuals may still be identified with other data.",
            .aggregate: "Counts and statistics about groups; small numbers may still identify individuals.",
        ]
        let rows = Identifiability.allCases.map { c -> [EditionCell] in
            let n = classes[c] ?? (0, 0, 0)
            return [.text(c.rawValue), .text(meanings[c]!), .number(n.live), .number(n.special), .number(n.all)]
        }
        return EditionSheet(
            name: EditionSheets.classification, title: EditionSheets.classification, file: "classification-of-data.csv",
            description: "How identifiable the shared data is, with the number of shares of each kind.",
            columns: [
                .init("Classification", width: 14), .init("Meaning", width: 60), .init("Shares live on the edition date", width: 12),
                .init("Of which special category data", width: 12), .init("Shares listed in this edition", width: 12),
            ], keyColumns: 1, rows: rows)
    }
}
