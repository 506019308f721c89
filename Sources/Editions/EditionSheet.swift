/// One sheet of an edition: the same rows in the workbook (ODS and XLSX),
/// its CSV and the site.
public struct EditionSheet: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public var header: String
        /// A hint for the width, in characters; the writers widen it to the longest value they see.
        public var width: Int

        public init(_ header: String, width: Int = 12) {
            self.header = header
            self.width = width
        }
    }

    /// The sheet's name in the workbooks: at most 31 characters, the limit
    /// of Office Open XML, so both workbooks use the same names.
    public var name: String
    /// The sheet's full title, on the cover and the site.
    public var title: String
    /// The CSV's file name.
    public var file: String
    /// What the sheet holds and how its rows were chosen, for the cover.
    public var description: String
    public var columns: [Column]
    /// How many leading columns identify a row (for the changes since the previous edition).
    public var keyColumns: Int
    public var rows: [[EditionCell]]

    /// What a sheet with no rows says under its header.
    public static let noneNote = "none in this period"

    public init(
        name: String, title: String, file: String, description: String, columns: [Column], keyColumns: Int,
        rows: [[EditionCell]]
    ) {
        precondition(name.count <= 31, "a workbook sheet name has at most 31 characters")
        self.name = name
        self.title = title
        self.file = file
        self.description = description
        self.columns = columns
        self.keyColumns = keyColumns
        self.rows = rows
    }

    /// The rows every format writes: the rows, or one row saying there are none.
    public var publishedRows: [[EditionCell]] {
        rows.isEmpty ? [[.text(Self.noneNote)] + Array(repeating: .empty, count: max(0, columns.count - 1))] : rows
    }

    /// A row's identity: its key columns, joined.
    func key(of row: [EditionCell]) -> String {
        row.prefix(keyColumns).map(\.plain).joined(separator: " / ")
    }
}
