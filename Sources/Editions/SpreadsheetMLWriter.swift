import AccordCore

/// The edition as an Office Open XML workbook (SpreadsheetML, `.xlsx`),
/// with the same sheets, cells and layout as the OpenDocument one. Written
/// directly, like the ODS: strings inline (no shared-string table to keep
/// in step), dates as serial days with an ISO date format, counts as
/// numbers, a bold header, the header row frozen, widths set.
struct SpreadsheetMLWriter {
    let sheets: [EditionSheet]
    let date: CalendarDate

    /// Serial day 1 is 1900-01-01 with Lotus's phantom 1900-02-29, so serials
    /// count from 1899-12-30 and are right from 1900-03-01 (serial 61) on.
    static let serialOffset = 25_569
    static let firstExactSerial = 61

    func bytes() throws(EditionError) -> [UInt8] {
        var entries: [ZipContainer.Entry] = [
            .init(path: "[Content_Types].xml", bytes: contentTypes()),
            .init(path: "_rels/.rels", bytes: rootRelationships()),
            .init(path: "xl/workbook.xml", bytes: workbook()),
            .init(path: "xl/_rels/workbook.xml.rels", bytes: workbookRelationships()),
            .init(path: "xl/styles.xml", bytes: styles()),
        ]
        for (index, sheet) in sheets.enumerated() {
            entries.append(.init(path: "xl/worksheets/sheet\(index + 1).xml", bytes: worksheet(sheet, selected: index == 0)))
        }
        return try ZipContainer.bytes(entries, date: date.start.date)
    }

    func worksheet(_ sheet: EditionSheet, selected: Bool) -> [UInt8] {
        var x = XMLBuffer(capacity: 1 << 20)
        x.raw(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#)
        x.raw(#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        x.raw(#"<sheetViews><sheetView workbookViewId="0"\#(selected ? #" tabSelected="1""# : "")>"#)
        x.raw(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#)
        x.raw(#"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#)
        x.raw(#"<sheetFormatPr defaultRowHeight="15"/><cols>"#)
        for (index, width) in ColumnWidths.of(sheet).enumerated() {
            x.raw(#"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width + 1)" customWidth="1"/>"#)
        }
        x.raw("</cols><sheetData>")
        let columns = (0..<sheet.columns.count).map(Self.columnName)
        x.raw(#"<row r="1">"#)
        for (index, column) in sheet.columns.enumerated() {
            Self.inline(column.header, reference: "\(columns[index])1", style: 2, into: &x)
        }
        x.raw("</row>")
        for (offset, row) in sheet.publishedRows.enumerated() {
            let number = offset + 2
            x.raw(#"<row r="\#(number)">"#)
            for (index, cell) in row.enumerated() where index < columns.count {
                let reference = "\(columns[index])\(number)"
                switch cell {
                case .empty: continue
                case .number(let n): x.raw(#"<c r="\#(reference)"><v>\#(n)</v></c>"#)
                case .date(let d) where d.day + Self.serialOffset >= Self.firstExactSerial:
                    x.raw(#"<c r="\#(reference)" s="1"><v>\#(d.day + Self.serialOffset)</v></c>"#)
                case .text, .date: Self.inline(cell.plain, reference: reference, style: 0, into: &x)
                }
            }
            x.raw("</row>")
        }
        x.raw("</sheetData></worksheet>")
        return x.bytes
    }

    static func inline(_ text: String, reference: String, style: Int, into x: inout XMLBuffer) {
        x.raw(#"<c r="\#(reference)" t="inlineStr"\#(style == 0 ? "" : #" s="\#(style)""#)><is><t xml:space="preserve">"#)
        x.text(text)
        x.raw("</t></is></c>")
    }

    /// `A`, …, `Z`, `AA`, …: a column's letters.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let digit = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + digit))) + name
            n = (n - 1) / 26
        }
        return name
    }
}
