import AccordCore

/// A grouped bar chart as inline SVG, one group per calendar quarter and
/// one bar per requester (Home Office, police and investigators, courts):
/// drawn here, so the page needs no script and reads the same everywhere.
struct QuarterChart {
    struct Series {
        let name: String
        let colour: String
    }

    static let series = [
        Series(name: "Home Office", colour: "#1d70b8"), Series(name: "Police and investigators", colour: "#d4351c"),
        Series(name: "Courts", colour: "#00703c"),
    ]

    /// Tallies by quarter (`YYYY-Qn`), one per series.
    let quarters: [(String, [AccessTally])]

    init(_ lawEnforcement: [AccessRowKey: AccessTally]) {
        // Quarters counted from year 0, so that the quarters between the first and the last are all drawn, empty ones too.
        var byQuarter: [Int: [AccessTally]] = [:]
        for (key, tally) in lawEnforcement {
            let (year, month, _) = Timestamp.civil(day: key.month.day)
            let quarter = year * 4 + (month - 1) / 3
            var row = byQuarter[quarter] ?? Array(repeating: AccessTally(), count: 3)
            let i = key.sheet.rawValue
            row[i].requests += tally.requests
            row[i].subjectsDisclosed += tally.subjectsDisclosed
            byQuarter[quarter] = row
        }
        guard let first = byQuarter.keys.min(), let last = byQuarter.keys.max() else {
            quarters = []
            return
        }
        // A request dated in year 1 or 9999 is valid: past fifty years, only the quarters with requests are drawn.
        let drawn = last - first < 200 ? Array(first...last) : byQuarter.keys.sorted()
        quarters = drawn.map { q in
            (String(q / 4).leftPadded(to: 4) + "-Q\(q % 4 + 1)", byQuarter[q] ?? Array(repeating: AccessTally(), count: 3))
        }
    }

    func svg(title: String, value: KeyPath<AccessTally, Int>) -> String {
        guard !quarters.isEmpty else { return "<p>\(EditionSheet.noneNote)</p>\n" }
        let (groupWidth, barWidth, height, left, bottom) = (54, 14, 220, 56, 40)
        // Wide enough for the bars and for the legend beneath them.
        let width = max(left + quarters.count * groupWidth + 20, left + Self.series.count * 190)
        let top = max(1, quarters.flatMap { $0.1.map { $0[keyPath: value] } }.max() ?? 1)
        var s =
            "<figure><svg role=\"img\" viewBox=\"0 0 \(width) \(height + bottom + 30)\" width=\"\(width)\" height=\"\(height + bottom + 30)\">"
        s += "<title>\(HTML.escape(title))</title>"
        s += "<line x1=\"\(left)\" y1=\"\(height)\" x2=\"\(width - 10)\" y2=\"\(height)\" stroke=\"#505a5f\"/>"
        s += "<text x=\"\(left - 6)\" y=\"14\" text-anchor=\"end\" font-size=\"11\">\(top)</text>"
        s += "<text x=\"\(left - 6)\" y=\"\(height)\" text-anchor=\"end\" font-size=\"11\">0</text>"
        for (g, (quarter, tallies)) in quarters.enumerated() {
            let x0 = left + g * groupWidth + 4
            for (i, tally) in tallies.enumerated() {
                let v = tally[keyPath: value]
                let h = v * (height - 10) / top
                s +=
                    "<rect x=\"\(x0 + i * barWidth)\" y=\"\(height - h)\" width=\"\(barWidth - 2)\" height=\"\(h)\" fill=\"\(Self.series[i].colour)\">"
                s += "<title>\(quarter) \(Self.series[i].name): \(v)</title></rect>"
            }
            s += "<text x=\"\(x0 + 20)\" y=\"\(height + 16)\" text-anchor=\"middle\" font-size=\"11\">\(quarter)</text>"
        }
        for (i, series) in Self.series.enumerated() {
            let x = left + i * 190
            s += "<rect x=\"\(x)\" y=\"\(height + bottom)\" width=\"12\" height=\"12\" fill=\"\(series.colour)\"/>"
            s += "<text x=\"\(x + 16)\" y=\"\(height + bottom + 11)\" font-size=\"12\">\(series.name)</text>"
        }
        return s + "</svg></figure>\n"
    }
}
