import Foundation

/// A progress line for long phases, rewritten in place on standard error so
/// it never mixes with results on standard output.
public enum Progress {
    public static func show(_ text: String, done: Bool = false) {
        FileHandle.standardError.write(Data("\r\(text)\u{1B}[K\(done ? "\n" : "")".utf8))
    }
}
