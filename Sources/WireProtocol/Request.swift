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

    /// Decodes one line (without its line end): an `append` in one pass
    /// over its bytes (`OnePassDecoder`), anything else (and any fault)
    /// parsed once and then checked strictly against its operation. Both
    /// ways give the same request; only the second words errors.
    ///
    /// - Throws: `RequestError`, which carries whatever id the line had so
    ///   the error response can echo it.
    public static func decode(_ line: UnsafeRawBufferPointer) throws(RequestError) -> Request {
        if let append = OnePassDecoder.decode(line) { return append }
        return try decodeParsing(line)
    }

    /// The general way: the line parsed into a `JSONValue`, then its members
    /// read strictly by name.
    public static func decodeParsing(_ line: UnsafeRawBufferPointer) throws(RequestError) -> Request {
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
