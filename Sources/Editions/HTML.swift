/// HTML text built for the static site, escaped once, here.
struct HTML {
    private(set) var text = ""

    init(reserving capacity: Int = 4_096) { text.reserveCapacity(capacity) }

    mutating func raw(_ markup: String) { text += markup }

    /// Character data or a quoted attribute value.
    mutating func escaped(_ value: String) { text += Self.escape(value) }

    static func escape(_ value: String) -> String {
        // The five are ASCII, so UTF-8 bytes are scanned, not characters.
        func special(_ byte: UInt8) -> Bool { byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 }
        guard value.utf8.contains(where: special) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 16)
        for byte in value.utf8 {
            switch byte {
            case 0x26: out += Array("&amp;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            case 0x22: out += Array("&quot;".utf8)
            case 0x27: out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A page with the site's head, title and navigation; `root` leads back to the site's folder.
    static func page(title: String, root: String, body: (inout HTML) -> Void) -> [UInt8] {
        var h = HTML(reserving: 16_384)
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        h.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; connect-src 'self'; img-src 'self' data:\">\n")
        h.raw("<title>")
        h.escaped(title)
        h.raw("</title>\n<link rel=\"stylesheet\" href=\"\(root)site.css\">\n</head>\n<body>\n<nav>")
        h.raw("<a href=\"\(root)index.html\">Register</a> · <a href=\"\(root)statistics.html\">Law-enforcement statistics</a> · ")
        h.raw("<a href=\"\(root)index.html#downloads\">Downloads</a> · <a href=\"\(root)index.html#verify\">Verify</a></nav>\n<main>\n<h1>")
        h.escaped(title)
        h.raw("</h1>\n")
        body(&h)
        h.raw("</main>\n</body>\n</html>\n")
        return Array(h.text.utf8)
    }

    /// A table of a sheet's columns and rows; cells of `link` columns link to agreement pages.
    mutating func table(_ sheet: EditionSheet, id: String? = nil, linkFirstColumn: Bool = false, root: String = "") {
        raw(id.map { "<table id=\"\($0)\">" } ?? "<table>")
        raw("<thead><tr>")
        for column in sheet.columns {
            raw("<th>")
            escaped(column.header)
            raw("</th>")
        }
        raw("</tr></thead>\n<tbody>\n")
        for row in sheet.publishedRows {
            raw("<tr>")
            for (index, cell) in row.enumerated() {
                self.cell(cell, link: linkFirstColumn && index == 0 && !sheet.rows.isEmpty, root: root)
            }
            raw("</tr>\n")
        }
        raw("</tbody></table>\n")
    }

    mutating func cell(_ cell: EditionCell, link: Bool = false, root: String = "") {
        switch cell {
        case .number: raw("<td class=\"n\">")
        case .date: raw("<td class=\"d\">")
        case .text, .empty: raw("<td>")
        }
        if link {
            raw("<a href=\"\(root)agreements/\(SiteWriter.pageName(cell.plain))\">")
            escaped(cell.plain)
            raw("</a>")
        } else {
            escaped(cell.plain)
        }
        raw("</td>")
    }
}
