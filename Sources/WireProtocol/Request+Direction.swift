extension Request {
    /// Which way a read walks the log or a stream.
    public enum Direction: String, Sendable {
        case forward
        case backward
    }

    /// `direction`: `"forward"` (default) or `"backward"`.
    public func direction() throws(WireError) -> Direction {
        switch try optionalString("direction") {
        case nil, "forward": .forward
        case "backward": .backward
        default: throw .badRequest("direction must be \"forward\" or \"backward\"", field: "direction")
        }
    }
}
