import Foundation

/// `value` with `decimals` digits after the point, for tables and summary lines.
public func fmt(_ value: Double, _ decimals: Int = 0) -> String {
    String(format: "%.\(decimals)f", value)
}

/// A byte count for people: `512 B`, `3.2 MiB`, `1.5 GiB`, `1.0 TiB`.
public func bytesText(_ bytes: Double) -> String {
    guard bytes >= 0 else { return "-" }
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var value = bytes
    var unit = 0
    while value >= 1_024, unit < units.count - 1 {
        value /= 1_024
        unit += 1
    }
    return unit == 0 ? "\(Int(value)) B" : "\(fmt(value, value < 10 ? 1 : 0)) \(units[unit])"
}

/// A duration for people: `12 s`, `4 min`, `3.5 h`, `2 d`.
public func secondsText(_ seconds: Double) -> String {
    switch seconds {
    case ..<0: "-"
    case ..<120: "\(Int(seconds.rounded())) s"
    case ..<7_200: "\(Int((seconds / 60).rounded())) min"
    case ..<172_800: "\(fmt(seconds / 3_600, 1)) h"
    default: "\(Int((seconds / 86_400).rounded())) d"
    }
}
