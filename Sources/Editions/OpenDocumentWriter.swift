import AccordCore
import Foundation

/// The edition as an OpenDocument spreadsheet (ODF 1.3), the format the
/// department publishes. No maintained Swift writer for ODF exists, so the
/// XML is written here directly: typed cells (dates as dates with an ISO
/// display style, counts as floats), a bold wrapped header row, the header
/// frozen, and column widths fitted to the values.
struct OpenDocumentWriter {
    static let mediaType = "application/vnd.oasis.opendocument.spreadsheet"
    static let namespaces =
        #"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#
        + #"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#
        + #"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#
        + #"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#
        + #"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#
        + #"xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" "#
        + #"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" "#
        + #"xmlns:dc="http://purl.org/dc/elements/1.1/" "#
        + #"xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.3""#

    let sheets: [EditionSheet]
    let date: CalendarDate

    func bytes() throws(EditionError) -> [UInt8] {
        try ZipContainer.bytes(
            [
                .init(path: "mimetype", bytes: Array(Self.mediaType.utf8), compressed: false),
                .init(path: "content.xml", bytes: content()),
                .init(path: "styles.xml", bytes: styles()),
                .init(path: "meta.xml", bytes: meta()),
                .init(path: "settings.xml", bytes: settings()),
                .init(path: "META-INF/manifest.xml", bytes: manifest()),
            ], date: date.start.date)
    }

    func content() -> [UInt8] {
        let widths = sheets.map(ColumnWidths.of)
        var x = XMLBuffer(capacity: 1 << 20)
        x.raw("<office:document-content \(Self.namespaces)><office:automatic-styles>")
        x.raw(
            #"<number:date-style style:name="N_ISO"><number:year number:style="long"/><number:text>-</number:text>"#
                + #"<number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>"#
                + #"<style:style style:name="ce_date" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_ISO"/>"#
                + #"<style:style style:name="ce_head" style:family="table-cell" style:parent-style-name="Default">"#
                + #"<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/><style:text-properties fo:font-weight="bold"/></style:style>"#
        )
        for width in Set(widths.joined()).sorted() {
            x.raw(#"<style:style style:name="co\#(width)" style:family="table-column">"#)
            x.raw(#"<style:table-column-properties style:column-width="\#(Double(width) * 0.21)cm"/></style:style>"#)
        }
        x.raw("</office:automatic-styles><office:body><office:spreadsheet>")
        for (sheet, widths) in zip(sheets, widths) {
            x.raw(#"<table:table table:name=""#)
            x.text(sheet.name)
            x.raw(#"">"#)
            for width in widths { x.raw(#"<table:table-column table:style-name="co\#(width)"/>"#) }
            x.raw("<table:table-header-rows><table:table-row>")
            for column in sheet.columns {
                x.raw(#"<table:table-cell table:style-name="ce_head" office:value-type="string">"#)
                Self.paragraphs(column.header, into: &x)
                x.raw("</table:table-cell>")
            }
            x.raw("</table:table-row></table:table-header-rows>")
            for row in sheet.publishedRows {
                x.raw("<table:table-row>")
                for cell in row { Self.cell(cell, into: &x) }
                x.raw("</table:table-row>")
            }
            x.raw("</table:table>")
        }
        x.raw("</office:spreadsheet></office:body></office:document-content>")
        return x.bytes
    }

    static func cell(_ cell: EditionCell, into x: inout XMLBuffer) {
        switch cell {
        case .empty:
            x.raw("<table:table-cell/>")
        case .number(let n):
            x.raw(#"<table:table-cell office:value-type="float" office:value="\#(n)"><text:p>\#(n)</text:p></table:table-cell>"#)
        case .date(let d) where d.day >= ColumnWidths.firstDayOfYearOne:
            x.raw(#"<table:table-cell table:style-name="ce_date" office:value-type="date" office:date-value="\#(d)">"#)
            x.raw("<text:p>\(d)</text:p></table:table-cell>")
        case .text, .date:
            x.raw(#"<table:table-cell office:value-type="string">"#)
            paragraphs(cell.plain, into: &x)
            x.raw("</table:table-cell>")
        }
    }

    /// Text as ODF paragraphs: one `text:p` per line; runs of spaces as
    /// `text:s`, since ODF collapses white space (`publishedText` has no tabs).
    static func paragraphs(_ text: String, into x: inout XMLBuffer) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            x.raw("<text:p>")
            if !line.contains("  "), line.first != " ", line.last != " " {
                x.text(String(line))
                x.raw("</text:p>")
                continue
            }
            var spaces = 0
            var atStart = true
            func flush(_ x: inout XMLBuffer, last: Bool) {
                guard spaces > 0 else { return }
                if atStart || last {
                    x.raw(spaces == 1 ? "<text:s/>" : #"<text:s text:c="\#(spaces)"/>"#)
                } else {
                    x.raw(" ")
                    if spaces > 1 { x.raw(spaces == 2 ? "<text:s/>" : #"<text:s text:c="\#(spaces - 1)"/>"#) }
                }
                spaces = 0
            }
            for character in line {
                if character == " " {
                    spaces += 1
                    continue
                }
                flush(&x, last: false)
                atStart = false
                x.text(String(character))
            }
            flush(&x, last: true)
            x.raw("</text:p>")
        }
    }
}

extension Timestamp {
    var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }
}
