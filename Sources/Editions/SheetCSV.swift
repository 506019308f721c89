import Agreements

/// A sheet as CSV (RFC 4180, as protocol/exports.md): a header line of the
/// column headers, then the published rows; dates `YYYY-MM-DD`.
enum SheetCSV {
    static func bytes(_ sheet: EditionSheet) -> [UInt8] {
        var out = ""
        out += line(sheet.columns.map(\.header))
        for row in sheet.publishedRows { out += line(row.map(\.plain)) }
        return Array(out.utf8)
    }

    private static func line(_ fields: [String]) -> String {
        fields.map(CSVExport.field).joined(separator: ",") + "\r\n"
    }
}
