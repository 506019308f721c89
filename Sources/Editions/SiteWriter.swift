import AccordCore

/// The static site: the register to filter and search (`index.html`), a
/// page per listed agreement with its history, the law-enforcement
/// statistics with a chart (`statistics.html`), the downloads, and the
/// in-browser verifier. Plain files: no server, no external script, no network.
struct SiteWriter {
    let source: Edition.Source
    let date: CalendarDate
    let sheets: [EditionSheet]
    let fold: EditionFold
    /// The downloads with their sizes and SHA-256, listed on the index.
    let downloads: [(path: String, bytes: Int, sha256: String)]

    /// The register's columns on the site, by header, and the list each row is on.
    static let registerHeaders = [
        "Reference", "Recipient", "Recipient category", "Project title", "Legal gateway", "Classification", "Status on the edition date",
        "Start date", "End date", "Review date", "Law-enforcement requests",
    ]

    func files() -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = [
            ("index.html", index()), ("statistics.html", statistics()), ("site.css", Array(SiteAssets.css.utf8)),
            ("site.js", Array(SiteAssets.filterScript.utf8)), ("verify.js", Array(SiteAssets.verifierScript.utf8)),
        ]
        // Rows name agreements by their published reference.
        let ids = Dictionary(fold.state.agreements.keys.map { ($0.publishedText, $0) }, uniquingKeysWith: min)
        for sheet in sheets where EditionSheets.shareSheetNames.contains(sheet.name) {
            for row in sheet.rows {
                let history = ids[row[0].plain].flatMap { fold.histories[$0] }
                out.append(("agreements/" + Self.pageName(row[0].plain), agreementPage(row, sheet: sheet, history: history)))
            }
        }
        return out
    }

    /// An agreement page's file name: letters, digits, `-` and `.` kept,
    /// every other byte `_HH`, so that any reference makes one safe name.
    static func pageName(_ reference: String) -> String {
        var name = ""
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"):
                name.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: ".") where !name.isEmpty: name.append(".")
            default: name += "_" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return name + ".html"
    }

    func index() -> [UInt8] {
        let checkpoint = source.checkpoint.checkpoint
        return HTML.page(title: "Register of data shares: edition of \(date)", root: "") { h in
            h.raw("<p class=\"facts\">Covers the first \(checkpoint.size) events of the log <code>")
            h.escaped(checkpoint.origin)
            h.raw("</code> (root <code>\(checkpoint.root.base64)</code>); statuses are as they stood on \(date).</p>\n")
            verifier(&h)
            h.raw("<section id=\"register\"><h2>The register</h2>\n")
            h.raw("<p><label>Search <input id=\"search\" type=\"search\" placeholder=\"reference, recipient, project…\"></label> ")
            h.raw("<label>List <select id=\"list\"><option value=\"\">all</option>")
            for name in EditionSheets.shareSheetNames {
                h.raw("<option>")
                h.escaped(name)
                h.raw("</option>")
            }
            h.raw("</select></label> <label>Status <select id=\"status\"><option value=\"\">any</option>")
            for status in EffectiveStatusNames.all { h.raw("<option>\(status)</option>") }
            h.raw("</select></label> <span id=\"shown\"></span></p>\n")
            registerTable(&h)
            h.raw("</section>\n")
            downloadsSection(&h)
            h.raw("<script src=\"site.js\"></script>\n<script src=\"verify.js\"></script>\n")
        }
    }

    private func registerTable(_ h: inout HTML) {
        h.raw("<table id=\"register-table\"><thead><tr><th>List</th>")
        for header in Self.registerHeaders {
            h.raw("<th>")
            h.escaped(header)
            h.raw("</th>")
        }
        h.raw("</tr></thead>\n<tbody>\n")
        for sheet in sheets where EditionSheets.shareSheetNames.contains(sheet.name) {
            let columns = Self.registerHeaders.compactMap { header in sheet.columns.firstIndex { $0.header == header } }
            for row in sheet.rows {
                h.raw("<tr><td>")
                h.escaped(sheet.name)
                h.raw("</td>")
                for (i, column) in columns.enumerated() { h.cell(row[column], link: i == 0) }
                h.raw("</tr>\n")
            }
        }
        h.raw("</tbody></table>\n")
        if !sheets.contains(where: { EditionSheets.shareSheetNames.contains($0.name) && !$0.rows.isEmpty }) {
            h.raw("<p>\(EditionSheet.noneNote)</p>\n")
        }
    }

    private func downloadsSection(_ h: inout HTML) {
        h.raw(
            "<section id=\"downloads\"><h2>Downloads</h2>\n<table><thead><tr><th>File</th><th>Bytes</th><th>SHA-256</th></tr></thead><tbody>\n"
        )
        for download in downloads + [("edition.json", 0, "")] {
            h.raw("<tr><td><a href=\"")
            h.escaped(download.path)
            h.raw("\" download>")
            h.escaped(download.path)
            h.raw("</a></td>")
            if download.path == "edition.json" {
                h.raw("<td></td><td>the manifest: every file's SHA-256</td></tr>\n")
            } else {
                h.raw("<td class=\"n\">\(download.bytes)</td><td><code>\(download.sha256)</code></td></tr>\n")
            }
        }
        h.raw("</tbody></table></section>\n")
    }

    private func verifier(_ h: inout HTML) {
        h.raw("<section id=\"verify\"><h2>Verify this edition</h2>\n")
        h.raw("<p id=\"verify-status\" class=\"pending\">checking…</p>\n<ul id=\"verify-details\"></ul>\n")
        h.raw("<p><label>Verifier key, as the department publishes it: <input id=\"verify-key\" size=\"70\" value=\"")
        h.escaped(source.verifierKey.text)
        h.raw("\"></label> <button id=\"verify-again\" type=\"button\">Check again</button></p>\n")
        h.raw("<div id=\"verify-choose\" hidden><p>This browser does not let a page opened from disk read the files beside it. ")
        h.raw("Choose edition.json and the downloads to check them:</p><input id=\"verify-files\" type=\"file\" multiple></div>\n")
        h.raw("</section>\n")
    }
}

/// Effective statuses as the register writes them, for the status filter.
enum EffectiveStatusNames {
    static let all = ["approved_not_started", "in_force", "suspended", "expired", "revoked"]
}
