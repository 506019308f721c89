import AccordCore

/// One cell of a published sheet, typed so that every format writes it the
/// same way: text as text, counts as numbers, dates as dates.
public enum EditionCell: Sendable, Hashable {
    case text(String)
    case number(Int)
    case date(CalendarDate)
    case empty

    /// Text as every format publishes it (`publishedText`).
    public static func published(_ value: String) -> EditionCell { .text(value.publishedText) }

    /// A date, or an empty cell.
    public static func date(_ value: CalendarDate?) -> EditionCell { value.map { .date($0) } ?? .empty }

    /// `yes` or `no`.
    public static func flag(_ value: Bool) -> EditionCell { .text(value ? "yes" : "no") }

    /// The value as the CSV holds it and as a reader compares it: dates as
    /// `YYYY-MM-DD`, numbers in decimal, empty as nothing.
    public var plain: String {
        switch self {
        case .text(let text): text
        case .number(let number): String(number)
        case .date(let date): date.description
        case .empty: ""
        }
    }
}

extension String {
    /// The text every format can carry unchanged. XML 1.0 cannot hold most
    /// control characters and normalises carriage returns, and LibreOffice
    /// drops an OpenDocument cell's tabs, so line breaks become `\n` and
    /// other C0 controls, the tab included, their visible Control Pictures
    /// (U+2400 + code); U+FFFE and U+FFFF become U+FFFD. The CSV carries the
    /// same text, so a workbook's cells equal its CSVs. The log keeps the
    /// original.
    public var publishedText: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0xFFFE || $0.value == 0xFFFF }) else { return self }
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar.value {
            case 0x0A where previousWasCR: continue
            case 0x0A, 0x0D: out.append("\n")
            case 0..<0x20: out.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0xFFFE, 0xFFFF: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
