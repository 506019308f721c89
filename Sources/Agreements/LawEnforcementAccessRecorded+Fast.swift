import AccordCore
import AccordJSON

extension LawEnforcementAccessRecorded {
    /// Decodes canonical JSON member by member, without building a JSON tree:
    /// most appends are these requests, and the writer's budget is microseconds.
    /// Accepts and refuses exactly what the `Decodable` conformance does
    /// with the same strictness.
    init(canonical data: CanonicalJSON, strict: Bool) throws(AgreementError) {
        let result: Result<Self, AgreementError> = data.bytes.withUnsafeBytes { bytes in
            var fields = Fields()
            guard JSONMemberScanner.forEachMember(in: bytes, { key, value in fields.set(key, value) }) else {
                return .failure(.validationFailed("LawEnforcementAccessRecorded: data is not a JSON object"))
            }
            if strict, let unknown = fields.unknown {
                return .failure(
                    .validationFailed("LawEnforcementAccessRecorded: \(unknown) is not a member this object may have", field: unknown))
            }
            return Result { () throws(AgreementError) in try Self.decode(fields) }
        }
        self = try result.get()
    }

    /// The members this type reads, found by comparing key bytes: no
    /// dictionary and no `String` per key. The first other member is kept for
    /// strict decoding to name.
    private struct Fields {
        static let keys = Key.allCases.map { Array($0.rawValue.utf8) }
        private var values = [UnsafeRawBufferPointer?](repeating: nil, count: Key.allCases.count)
        private(set) var unknown: String?
        /// Canonical JSON sorts its members as `Key` does, so the next key is usually the one after the last.
        private var next = 0

        mutating func set(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
            for offset in 0..<Self.keys.count {
                let index = (next + offset) % Self.keys.count
                if Self.keys[index].elementsEqual(key) {
                    values[index] = value
                    next = index + 1
                    return
                }
            }
            if unknown == nil { unknown = String(decoding: key, as: UTF8.self) }
        }

        subscript(key: Key) -> UnsafeRawBufferPointer? { values[Key.allCases.firstIndex(of: key)!] }
    }

    private enum Key: String, CaseIterable {
        case courtOrderReference, dataItemsDisclosed, dataItemsRequested, decidedBy, decision, evidenceReference, grounds
        case legalAuthority, requestDate, requestReference, requesterOrganisation, requesterType, subjectsDisclosed, subjectsMatched
        case subjectsRequested
    }

    private static func decode(_ f: Fields) throws(AgreementError) -> LawEnforcementAccessRecorded {
        func raw(_ key: Key) throws(AgreementError) -> UnsafeRawBufferPointer {
            guard let value = f[key], !(value.count == 4 && value.elementsEqual("null".utf8)) else {
                throw .validationFailed("LawEnforcementAccessRecorded: \(key.rawValue) is required", field: key.rawValue)
            }
            return value
        }
        func value(_ key: Key) throws(AgreementError) -> JSONValue {
            do { return try JSONParser.parse(raw(key)) } catch let error as AgreementError { throw error } catch {
                throw .validationFailed("LawEnforcementAccessRecorded: \(key.rawValue): \(error)", field: key.rawValue)
            }
        }
        func string(_ key: Key) throws(AgreementError) -> String {
            let v = try raw(key)
            if v.count >= 2, v.first == 0x22, v.last == 0x22, !v.contains(0x5C) {
                return String(decoding: UnsafeRawBufferPointer(rebasing: v.dropFirst().dropLast()), as: UTF8.self)
            }
            guard let s = try value(key).stringValue else { throw mismatch(key.rawValue, "a string", try value(key)) }
            return s
        }
        func optionalString(_ key: Key) throws(AgreementError) -> String? {
            guard let v = f[key], !(v.count == 4 && v.elementsEqual("null".utf8)) else { return nil }
            return try string(key)
        }
        func int(_ key: Key) throws(AgreementError) -> Int {
            // Canonical integers are plain digits; anything else takes the parser's word.
            let v = try raw(key)
            if (1...18).contains(v.count), v.first != UInt8(ascii: "0") || v.count == 1, v.allSatisfy({ (0x30...0x39).contains($0) }) {
                return v.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            }
            let parsed = try value(key)
            guard let i = parsed.int64Value, let exact = Int(exactly: i) else { throw mismatch(key.rawValue, "an integer", parsed) }
            return exact
        }
        func strings(_ key: Key) throws(AgreementError) -> [String] {
            let v = try value(key)
            guard let array = v.arrayValue else { throw mismatch(key.rawValue, "an array", v) }
            var out: [String] = []
            for (i, element) in array.enumerated() {
                guard let s = element.stringValue else { throw mismatch("\(key.rawValue)[\(i)]", "a string", element) }
                out.append(s)
            }
            return out
        }
        func enumeration<E: RawRepresentable<String> & CaseIterable>(_ key: Key, _ type: E.Type) throws(AgreementError) -> E {
            let text = try string(key)
            guard let e = E(rawValue: text) else {
                throw .validationFailed("LawEnforcementAccessRecorded: \(key.rawValue) \(E.mustBeOneOf(got: text))", field: key.rawValue)
            }
            return e
        }
        func date(_ key: Key) throws(AgreementError) -> CalendarDate {
            let text = try string(key)
            guard let d = CalendarDate(text) else {
                throw .validationFailed(
                    "LawEnforcementAccessRecorded: \(key.rawValue) must be a date (YYYY-MM-DD); got \"\(text)\"", field: key.rawValue)
            }
            return d
        }
        return LawEnforcementAccessRecorded(
            requestReference: try string(.requestReference), requestDate: try date(.requestDate),
            requesterType: try enumeration(.requesterType, RequesterType.self),
            requesterOrganisation: try string(.requesterOrganisation), legalAuthority: try string(.legalAuthority),
            grounds: try enumeration(.grounds, AccessGrounds.self), evidenceReference: try optionalString(.evidenceReference),
            courtOrderReference: try optionalString(.courtOrderReference), dataItemsRequested: try strings(.dataItemsRequested),
            dataItemsDisclosed: try strings(.dataItemsDisclosed), subjectsRequested: try int(.subjectsRequested),
            subjectsMatched: try int(.subjectsMatched), subjectsDisclosed: try int(.subjectsDisclosed),
            decision: try enumeration(.decision, AccessDecision.self), decidedBy: try string(.decidedBy))
    }

    private static func mismatch(_ key: String, _ expected: String, _ found: JSONValue) -> AgreementError {
        .validationFailed("LawEnforcementAccessRecorded: \(key): expected \(expected), found \(found.kindName)", field: key)
    }
}

extension AgreementEvent {
    /// Decodes a stored event from its canonical data, taking the fast path
    /// for the commonest type. Members its type does not define (stored
    /// before they were refused) are passed over: history is read as written.
    public init(type: String, canonical data: CanonicalJSON) throws(AgreementError) {
        try self.init(type: type, canonical: data, strict: false)
    }

    /// Decodes a new event from its canonical data with the rules of
    /// `init(type:data:)`: a member its type does not define is refused.
    public init(validating type: String, canonical data: CanonicalJSON) throws(AgreementError) {
        try self.init(type: type, canonical: data, strict: true)
    }

    private init(type: String, canonical data: CanonicalJSON, strict: Bool) throws(AgreementError) {
        if type == "LawEnforcementAccessRecorded" {
            self = .lawEnforcementAccess(try LawEnforcementAccessRecorded(canonical: data, strict: strict))
            return
        }
        let value: JSONValue
        do { value = try data.value() } catch { throw .validationFailed("\(type): \(error)") }
        try self.init(type: type, data: value, strict: strict)
    }
}
