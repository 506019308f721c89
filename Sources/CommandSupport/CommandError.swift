/// A failure a command reports to the person who ran it, then exits non-zero.
public struct CommandError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
