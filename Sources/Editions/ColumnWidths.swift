/// Column widths in characters, wide enough to read the values without
/// resizing: the longest value's longest line (up to 60; longer text
/// wraps in the reader's view), never narrower than the column's hint.
enum ColumnWidths {
    /// 0001-01-01 in days since 1970: earlier dates (year 0000, which
    /// an earlier build stored) are written as text.
    static let firstDayOfYearOne = -719_162

    static func of(_ sheet: EditionSheet) -> [Int] {
        var widths = sheet.columns.map { max($0.width, 6) }
        for row in sheet.publishedRows.prefix(5_000) {
            for (index, cell) in row.enumerated() where index < widths.count {
                let longest: Int
                switch cell {
                case .text(let text): longest = text.split(separator: "\n").map(\.count).max() ?? 0
                case .number(let n): longest = String(n).count
                case .date: longest = 10
                case .empty: longest = 0
                }
                widths[index] = max(widths[index], min(longest + 1, 60))
            }
        }
        return widths
    }
}
