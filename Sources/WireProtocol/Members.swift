import AccordCore
import AccordJSON

/// A request's members, read strictly: every read names the member when it
/// fails, and `finish()` refuses any member no read asked for, so a typo such
/// as `expectedVerison` is an error, never a silently ignored condition.
/// `null` is never a default: it is refused by name (a client whose variable
/// happens to be null must not lose, say, its concurrency check), except
/// where a member's schema allows it (`takeAllowingNull`).
public struct Members {
    /// The operation, or the element, for messages.
    public var op: String { operation ?? path ?? "" }
    /// Where these members sit in the request (`events[0]`), prefixed to the
    /// names in messages and `field`; `nil` at the top level. Spelled only
    /// when a message needs it: a valid request builds no path.
    public var path: String? { element.map { "\($0.array)[\($0.index)]" } }
    private let operation: String?
    private let element: (array: String, index: Int)?
    /// The members as parsed, never changed: marking what was read, rather
    /// than removing it, leaves the parsed tree's storage unshared and uncopied.
    private let members: JSONObject
    private var taken: UInt64 = 0
    /// Read members past the 64th (objects that large are rare).
    private var takenBeyond: Set<Int> = []
    private var known: [String] = []

    /// A request's own members.
    public init(op: String, _ members: JSONObject) {
        operation = op
        element = nil
        self.members = members
        // One allocation for the names read, not one per doubling.
        known.reserveCapacity(8)
    }

    /// The members of element `index` of the array member `array` (a literal
    /// such as `"events"`); messages name the element, or `op` when given.
    public init(element array: String, at index: Int, op: String? = nil, _ members: JSONObject) {
        operation = op
        element = (array, index)
        self.members = members
        // One allocation for the names read, not one per doubling.
        known.reserveCapacity(8)
    }

    /// `name` as the client should find it in the request.
    func qualified(_ name: String) -> String {
        path.map { "\($0).\(name)" } ?? name
    }

    /// The member's value, or `nil` when absent; `null` is refused.
    public mutating func take(_ name: String) throws(WireError) -> JSONValue? {
        guard let value = takeAllowingNull(name) else { return nil }
        guard value != .null else {
            throw .badRequest("\(qualified(name)) must not be null; leave it out to mean its default", field: qualified(name))
        }
        return value
    }

    /// The member's value, `null` included, or `nil` when absent.
    public mutating func takeAllowingNull(_ name: String) -> JSONValue? {
        known.append(name)
        guard let position = members.position(of: name), !isTaken(position) else { return nil }
        if position < 64 { taken |= 1 << position } else { takenBeyond.insert(position) }
        return members[position: position].value
    }

    private func isTaken(_ position: Int) -> Bool {
        position < 64 ? taken & (1 << position) != 0 : takenBeyond.contains(position)
    }

    /// Refuses the members no read asked for.
    public func finish() throws(WireError) {
        guard let first = (0..<members.count).first(where: { !isTaken($0) }) else { return }
        let unknown = members[position: first].key
        let takes = known.isEmpty ? "it takes no members" : "it takes \(known.sorted().joined(separator: ", "))"
        throw .badRequest("\(op) has no member \"\(unknown)\"; \(takes)", field: qualified(unknown))
    }

    public mutating func string(_ name: String) throws(WireError) -> String {
        guard let value = try take(name) else { throw .badRequest("\(qualified(name)) is required", field: qualified(name)) }
        guard case .string(let s) = value else { throw .badRequest("\(qualified(name)) must be a string", field: qualified(name)) }
        return s
    }

    public mutating func optionalString(_ name: String) throws(WireError) -> String? {
        guard let value = try take(name) else { return nil }
        guard case .string(let s) = value else { throw .badRequest("\(qualified(name)) must be a string", field: qualified(name)) }
        return s
    }

    public mutating func optionalInt(_ name: String, range: ClosedRange<Int64> = 0...Int64.max) throws(WireError) -> Int64? {
        guard let value = try take(name) else { return nil }
        guard case .integer(let i) = value, range.contains(i) else {
            throw .badRequest(
                "\(qualified(name)) must be an integer from \(range.lowerBound) to \(range.upperBound)", field: qualified(name))
        }
        return i
    }

    public mutating func int(_ name: String, range: ClosedRange<Int64> = 0...Int64.max) throws(WireError) -> Int64 {
        guard let value = try optionalInt(name, range: range) else {
            throw .badRequest(
                "\(qualified(name)) is required: an integer from \(range.lowerBound) to \(range.upperBound)", field: qualified(name))
        }
        return value
    }

    public mutating func optionalBool(_ name: String) throws(WireError) -> Bool? {
        guard let value = try take(name) else { return nil }
        guard case .bool(let b) = value else { throw .badRequest("\(qualified(name)) must be true or false", field: qualified(name)) }
        return b
    }

    public mutating func optionalStrings(_ name: String) throws(WireError) -> [String]? {
        guard let value = try take(name) else { return nil }
        guard case .array(let elements) = value else {
            throw .badRequest("\(qualified(name)) must be an array of strings", field: qualified(name))
        }
        var strings: [String] = []
        for element in elements {
            guard case .string(let s) = element else {
                throw .badRequest("\(qualified(name)) must be an array of strings", field: qualified(name))
            }
            strings.append(s)
        }
        return strings
    }

    /// One of `E`'s raw values; the message lists them.
    public mutating func optionalEnum<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws(WireError) -> E?
    where E.RawValue == String {
        guard let text = try optionalString(name) else { return nil }
        guard let value = E(rawValue: text) else {
            throw .badRequest(
                "\(qualified(name)) \(E.mustBeOneOf(got: text))",
                field: qualified(name))
        }
        return value
    }

    public mutating func enumeration<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws(WireError) -> E
    where E.RawValue == String {
        guard let value = try optionalEnum(name, type) else {
            throw .badRequest(
                "\(qualified(name)) is required: one of \(E.acceptedValues)", field: qualified(name))
        }
        return value
    }

    public mutating func agreementId(_ name: String = "agreementId") throws(WireError) -> StreamName {
        let text = try string(name)
        do { return try StreamName(text) } catch { throw .badRequest("\(name): \(error.message)", field: qualified(name)) }
    }

    public mutating func optionalAgreementId(_ name: String = "agreementId") throws(WireError) -> StreamName? {
        guard let text = try optionalString(name) else { return nil }
        do { return try StreamName(text) } catch { throw .badRequest("\(name): \(error.message)", field: qualified(name)) }
    }

    /// A date, `YYYY-MM-DD`.
    public mutating func optionalDate(_ name: String) throws(WireError) -> CalendarDate? {
        guard let text = try optionalString(name) else { return nil }
        guard let date = CalendarDate(text) else {
            throw .badRequest("\(qualified(name)) must be a date, YYYY-MM-DD; got \"\(text)\"", field: qualified(name))
        }
        return date
    }

    /// An RFC 3339 time or a date meaning the end of that day (UTC).
    public mutating func optionalTimeOrDate(_ name: String) throws(WireError) -> Timestamp? {
        guard let text = try optionalString(name) else { return nil }
        guard let time = Timestamp(upToTimeOrDate: text) else {
            throw .badRequest("\(qualified(name)) must be an RFC 3339 time or a date (YYYY-MM-DD); got \"\(text)\"", field: qualified(name))
        }
        return time
    }

    /// `limit`, default `fallback`, at most `maximum`.
    public mutating func limit(default fallback: Int = 100, maximum: Int = 1_000) throws(WireError) -> Int {
        Int(try optionalInt("limit", range: 1...Int64(maximum)) ?? Int64(fallback))
    }
}
