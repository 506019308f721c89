import AccordJSON

/// One request line, decoded: the id to echo and what it asks for.
public struct Request: Sendable {
    /// The client's id, echoed in the response: a string or an integer.
    public var id: JSONValue
    public var command: Command

    public init(id: JSONValue, command: Command) {
        self.id = id
        self.command = command
    }

    /// Decodes one line (without its line end): parsed once, then checked
    /// strictly against its operation.
    ///
    /// - Throws: `RequestError`, which carries whatever id the line had so
    ///   the error response can echo it.
    public static func decode(_ line: UnsafeRawBufferPointer) throws(RequestError) -> Request {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw RequestError(id: .null, error: WireError(.badJSON, "the line is not valid JSON: \(error)"))
        }
        guard case .object(var members) = value else {
            throw RequestError(id: .null, error: WireError(.badJSON, "a request must be a JSON object"))
        }
        let id = members.removeValue(forKey: "id") ?? .null
        switch id {
        case .string, .integer: break
        default: throw RequestError(id: .null, error: .badRequest("a request needs an id: a string or an integer", field: "id"))
        }
        guard case .string(let op)? = members.removeValue(forKey: "op") else {
            throw RequestError(id: id, error: .badRequest("a request needs an op: a string", field: "op"))
        }
        do {
            return Request(id: id, command: try Command(op: op, members: members))
        } catch {
            throw RequestError(id: id, error: error)
        }
    }
}
