import AccordJSON

/// A request that could not be understood, with whatever id it had.
public struct RequestError: Error, Sendable {
    public var id: JSONValue
    public var error: WireError

    public init(id: JSONValue, error: WireError) {
        self.id = id
        self.error = error
    }
}
