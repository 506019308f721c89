import AccordJSON

/// One request line: an id to echo, an operation, and its members.
public struct Request: Sendable {
    /// The client's id, echoed in the response: a string, an integer, or `null`
    /// when the line could not be read far enough to find one.
    public var id: JSONValue
    public var op: String
    public var members: [String: JSONValue]

    public init(id: JSONValue, op: String, members: [String: JSONValue]) {
        self.id = id
        self.op = op
        self.members = members
    }

    /// Parses one line (without its line end).
    ///
    /// - Throws: `(id, WireError)` pairs through `RequestError`, so the
    ///   response can still echo an id found in an otherwise bad request.
    public static func parse(_ line: UnsafeRawBufferPointer) throws(RequestError) -> Request {
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
        return Request(id: id, op: op, members: members)
    }
}
