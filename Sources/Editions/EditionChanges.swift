/// What changed since the previous edition, sheet by sheet: rows added and
/// removed, each changed value with its old and new value, and corrections:
/// changes to rows that events recorded since the previous edition, but
/// taking effect in a period it had already covered, touched, with those
/// events' positions.
struct EditionChanges {
    static let name = "Changes since previous edition"

    let previous: [EditionSheet]
    let current: [EditionSheet]
    /// Row keys touched by correcting events, by sheet name, with their positions.
    let corrections: [String: [String: [UInt64]]]

    var rows: [[EditionCell]] {
        var out: [[EditionCell]] = []
        let before = Dictionary(previous.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for sheet in current {
            let old = before[sheet.name].map { Self.rowsByKey($0) } ?? [:]
            let new = Self.rowsByKey(sheet)
            let touched = corrections[sheet.name] ?? [:]
            for key in Set(old.keys).union(new.keys).sorted() {
                let positions = touched[key].map { $0.map(String.init).joined(separator: " ") } ?? ""
                func line(_ change: String, _ column: String, _ was: String, _ now: String) -> [EditionCell] {
                    [.text(change), .text(sheet.name), .text(key), .text(column), .text(was), .text(now), .text(positions)]
                }
                switch (old[key], new[key]) {
                case (nil, _?): out.append(line("added", "", "", ""))
                case (_?, nil): out.append(line("removed", "", "", ""))
                case (let was?, let now?):
                    for (index, column) in sheet.columns.enumerated() where was[index] != now[index] {
                        out.append(line(touched[key] == nil ? "changed" : "correction", column.header, was[index].plain, now[index].plain))
                    }
                case (nil, nil): break
                }
            }
        }
        return out
    }

    var sheet: EditionSheet {
        EditionSheet(
            name: Self.name, title: "Changes since the previous edition", file: "changes.csv",
            description:
                "Rows added, removed and changed since the previous edition (old and new value of each column). A correction is a change "
                + "to a row that events recorded since the previous edition touched although they took effect on or before its date; "
                + "Positions names those events in the log.",
            columns: [
                .init("Change", width: 10), .init("Sheet", width: 24), .init("Row", width: 24), .init("Column", width: 20),
                .init("Previous value", width: 20), .init("New value", width: 20), .init("Positions", width: 16),
            ], keyColumns: 4, rows: rows)
    }

    private static func rowsByKey(_ sheet: EditionSheet) -> [String: [EditionCell]] {
        var out: [String: [EditionCell]] = [:]
        for row in sheet.rows { out[sheet.key(of: row)] = row }
        return out
    }
}
