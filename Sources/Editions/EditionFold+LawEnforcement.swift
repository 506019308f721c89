import AccordCore

extension EditionFold {
    /// The Home Office, police and court sheets, by month and requester.
    func lawEnforcementSheets() -> [EditionSheet] {
        var rows: [AccessRowKey.Sheet: [[EditionCell]]] = [:]
        for key in lawEnforcement.keys.sorted() {
            let t = lawEnforcement[key]!
            switch key.sheet {
            case .homeOffice:
                rows[.homeOffice, default: []].append(
                    [.date(key.month), .number(t.subjectsRequested), .number(t.subjectsDisclosed), .number(t.requests)]
                        + [t.disclosures, t.refusals, t.noMatches, t.subjectsMatched].map { .number($0) })
            case .police:
                rows[.police, default: []].append([.date(key.month), .text(key.requesterType), .text(key.organisation)] + t.cells)
            case .court:
                rows[.court, default: []].append([.date(key.month), .text(key.organisation)] + t.cells)
            }
        }
        let month = EditionSheet.Column("Month", width: 11)
        return [
            EditionSheet(
                name: EditionSheets.homeOffice, title: EditionSheets.homeOffice, file: "home-office.csv",
                description:
                    "Home Office requests by month (the first day of the month): records the Home Office sent to be matched, and records the department returned.",
                columns: [
                    month, .init("Records sent by the Home Office", width: 14), .init("Records returned by the department", width: 14),
                    .init("Requests", width: 10), .init("Requests resulting in sharing", width: 14), .init("Refused", width: 9),
                    .init("No match", width: 9), .init("Records matched", width: 12),
                ], keyColumns: 1, rows: rows[.homeOffice] ?? []),
            EditionSheet(
                name: EditionSheets.police, title: "Police and criminal investigation authorities",
                file: "police-and-criminal-investigation-authorities.csv",
                description:
                    "Requests from the police and other criminal investigation authorities, by month and requesting organisation; individuals are counted as well as requests.",
                columns: [month, .init("Requester type", width: 10), .init("Requesting organisation", width: 30)] + AccessTally.columns,
                keyColumns: 3, rows: rows[.police] ?? []),
            EditionSheet(
                name: EditionSheets.court, title: EditionSheets.court, file: "court-orders.csv",
                description: "Court orders, by month and court; individuals are counted as well as orders.",
                columns: [month, .init("Court", width: 30)] + AccessTally.columns, keyColumns: 2, rows: rows[.court] ?? []),
        ]
    }

    static func sheetName(_ sheet: AccessRowKey.Sheet) -> String {
        switch sheet {
        case .homeOffice: EditionSheets.homeOffice
        case .police: EditionSheets.police
        case .court: EditionSheets.court
        }
    }
}

extension AccessRowKey {
    /// The row's key as `EditionSheet.key(of:)` writes it.
    var rowKey: String {
        switch sheet {
        case .homeOffice: month.description
        case .police: "\(month) / \(requesterType) / \(organisation)"
        case .court: "\(month) / \(organisation)"
        }
    }
}
