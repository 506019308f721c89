import CommandSupport
import Foundation

/// Prints benchmark rows for people (aligned) or scripts (`key=value` lines).
final class BenchReport: Sendable {
    let summary: Bool

    init(summary: Bool) { self.summary = summary }

    func header(_ text: String) {
        if !summary { print(text) }
        fflush(nil)
    }

    func row(_ name: String, _ fields: KeyValuePairs<String, String>) {
        row(name, fields.map { ($0.key, $0.value) })
    }

    func row(_ name: String, _ fields: [(String, String)]) {
        if summary {
            print(([name] + fields.map { "\($0.0)=\($0.1)" }).joined(separator: " "))
        } else {
            let cells = fields.map { "\($0.0) \($0.1)" }.joined(separator: "  ")
            print(name.padding(toLength: 10, withPad: " ", startingAt: 0) + cells)
        }
        fflush(nil)
    }

    /// Progress for long phases, on stderr so it never mixes with results.
    func progress(_ text: String, done: Bool = false) {
        Progress.show(text, done: done)
    }
}
