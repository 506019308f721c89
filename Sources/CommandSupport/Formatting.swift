import Foundation

/// `value` with `decimals` digits after the point, for tables and summary lines.
public func fmt(_ value: Double, _ decimals: Int = 0) -> String {
    String(format: "%.\(decimals)f", value)
}
