import AccordCore
import AccordJSON

/// Typed access to a request's members; each failure names the member.
extension Request {
    public func string(_ name: String) throws(WireError) -> String {
        guard let value = members[name] else { throw .badRequest("\(name) is required", field: name) }
        guard case .string(let s) = value else { throw .badRequest("\(name) must be a string", field: name) }
        return s
    }

    public func optionalString(_ name: String) throws(WireError) -> String? {
        guard let value = members[name], value != .null else { return nil }
        return try string(name)
    }

    public func optionalInt(_ name: String, range: ClosedRange<Int64> = 0...Int64.max) throws(WireError) -> Int64? {
        guard let value = members[name], value != .null else { return nil }
        guard case .integer(let i) = value, range.contains(i) else {
            throw .badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return i
    }

    public func optionalBool(_ name: String) throws(WireError) -> Bool? {
        guard let value = members[name], value != .null else { return nil }
        guard case .bool(let b) = value else { throw .badRequest("\(name) must be true or false", field: name) }
        return b
    }

    public func optionalStrings(_ name: String) throws(WireError) -> [String]? {
        guard let value = members[name], value != .null else { return nil }
        guard case .array(let elements) = value else { throw .badRequest("\(name) must be an array of strings", field: name) }
        var strings: [String] = []
        for element in elements {
            guard case .string(let s) = element else { throw .badRequest("\(name) must be an array of strings", field: name) }
            strings.append(s)
        }
        return strings
    }

    public func optionalEnum<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws(WireError) -> E?
    where E.RawValue == String {
        guard let text = try optionalString(name) else { return nil }
        guard let value = E(rawValue: text) else {
            throw .badRequest("\(name) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))", field: name)
        }
        return value
    }

    public func agreementId(_ name: String = "agreementId") throws(WireError) -> StreamName {
        do { return try StreamName(try string(name)) } catch let error as WireError { throw error } catch {
            throw .badRequest("\(name): \(error)", field: name)
        }
    }

    public func optionalAgreementId(_ name: String = "agreementId") throws(WireError) -> StreamName? {
        guard members[name] != nil, members[name] != .null else { return nil }
        return try agreementId(name)
    }

    /// `limit`, default `fallback`, at most `maximum`.
    public func limit(default fallback: Int = 100, maximum: Int = 1_000) throws(WireError) -> Int {
        Int(try optionalInt("limit", range: 1...Int64(maximum)) ?? Int64(fallback))
    }
}
