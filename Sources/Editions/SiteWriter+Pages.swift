import AccordCore

extension SiteWriter {
    /// One agreement: its row, its lifecycle events and its requests by month.
    func agreementPage(_ row: [EditionCell], sheet: EditionSheet, history: AgreementHistory?) -> [UInt8] {
        let reference = row[0].plain
        return HTML.page(title: "Agreement \(reference)", root: "../") { h in
            h.raw("<p>Listed under <strong>")
            h.escaped(sheet.name)
            h.raw("</strong> in the edition of \(date).</p>\n<dl>\n")
            for (column, cell) in zip(sheet.columns, row) {
                h.raw("<dt>")
                h.escaped(column.header)
                h.raw("</dt><dd>")
                h.escaped(cell.plain)
                h.raw("</dd>\n")
            }
            h.raw("</dl>\n<h2>History</h2>\n")
            h.raw(
                "<table><thead><tr><th>Position</th><th>Recorded</th><th>Effective</th><th>Event</th><th>By</th><th>What</th></tr></thead><tbody>\n"
            )
            for entry in history?.entries ?? [] {
                h.raw("<tr><td class=\"n\">\(entry.position)</td><td>\(entry.recorded.rfc3339)</td><td>\(entry.effective)</td><td>")
                h.escaped(entry.type)
                h.raw("</td><td>")
                h.escaped(entry.principal?.publishedText ?? "")
                h.raw("</td><td>")
                h.escaped(entry.summary)
                h.raw("</td></tr>\n")
            }
            h.raw("</tbody></table>\n")
            let months = (history?.requests ?? [:]).keys.sorted()
            guard !months.isEmpty else { return }
            h.raw("<h2>Law-enforcement requests by month</h2>\n<table><thead><tr><th>Month</th>")
            for column in AccessTally.columns {
                h.raw("<th>")
                h.escaped(column.header)
                h.raw("</th>")
            }
            h.raw("</tr></thead><tbody>\n")
            for month in months {
                h.raw("<tr><td>\(month)</td>")
                for cell in history!.requests[month]!.cells { h.cell(cell) }
                h.raw("</tr>\n")
            }
            h.raw("</tbody></table>\n")
        }
    }

    /// The law-enforcement sheets, with the requests and the individuals
    /// whose data was shared charted by quarter and requester.
    func statistics() -> [UInt8] {
        HTML.page(title: "Law-enforcement statistics: edition of \(date)", root: "") { h in
            let quarters = QuarterChart(fold.lawEnforcement)
            h.raw("<h2>Requests by quarter</h2>\n")
            h.raw(quarters.svg(title: "Requests by quarter and requester", value: \.requests))
            h.raw("<h2>Individuals whose data was shared, by quarter</h2>\n")
            h.raw(quarters.svg(title: "Individuals whose data was shared by quarter and requester", value: \.subjectsDisclosed))
            for sheet in sheets where [EditionSheets.homeOffice, EditionSheets.police, EditionSheets.court].contains(sheet.name) {
                h.raw("<h2>")
                h.escaped(sheet.title)
                h.raw("</h2>\n<p>")
                h.escaped(sheet.description)
                h.raw("</p>\n")
                h.table(sheet)
            }
        }
    }
}
