import Foundation

/// Standard output for commands that stream lines (`tail`, `watch`,
/// `replay`): each line is written whole and flushed as it comes, so a
/// pipe or a file sees it at once, not when a block fills or never when
/// the command is interrupted.
public enum LineOutput {
    public static func write(_ line: String) {
        var line = line
        line.append("\n")
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
