/// A failure a command reports to the person who ran it, then exits with its status.
public struct CommandError: Error, CustomStringConvertible {
    public let description: String
    public let status: ExitStatus

    /// - Parameter status: by default `.usage`: most failures a command
    ///   reports itself are about what it was given (flags, files, directories).
    public init(_ description: String, status: ExitStatus = .usage) {
        self.description = description
        self.status = status
    }
}
