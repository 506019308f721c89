import AccordJSON

extension LawEnforcementAccessRecorded {
    /// Decodes canonical JSON member by member, without building a JSON tree:
    /// most appends are these requests, and the writer's budget is microseconds.
    /// Accepts and refuses exactly what the `Decodable` conformance does.
    init(canonical data: CanonicalJSON) throws(AgreementError) {
        var result: Result<LawEnforcementAccessRecorded, AgreementError>?
        JSONMemberScanner.withMembers(of: data.bytes) { members in
            result = Result { () throws(AgreementError) in try Self.decode(members) }
        }
        guard let result else { throw .validationFailed("LawEnforcementAccessRecorded: data is not a JSON object") }
        self = try result.get()
    }

    private static func decode(_ f: [String: UnsafeRawBufferPointer]) throws(AgreementError) -> LawEnforcementAccessRecorded {
        func raw(_ key: String) throws(AgreementError) -> UnsafeRawBufferPointer {
            guard let value = f[key], !(value.count == 4 && value.elementsEqual("null".utf8)) else {
                throw .validationFailed("LawEnforcementAccessRecorded: \(key) is required")
            }
            return value
        }
        func value(_ key: String) throws(AgreementError) -> JSONValue {
            do { return try JSONParser.parse(raw(key)) } catch let error as AgreementError { throw error } catch {
                throw .validationFailed("LawEnforcementAccessRecorded: \(key): \(error)")
            }
        }
        func string(_ key: String) throws(AgreementError) -> String {
            let v = try raw(key)
            if v.count >= 2, v.first == 0x22, v.last == 0x22, !v.contains(0x5C) {
                return String(decoding: UnsafeRawBufferPointer(rebasing: v.dropFirst().dropLast()), as: UTF8.self)
            }
            guard let s = try value(key).stringValue else { throw mismatch(key, "a string", try value(key)) }
            return s
        }
        func optionalString(_ key: String) throws(AgreementError) -> String? {
            guard let v = f[key], !(v.count == 4 && v.elementsEqual("null".utf8)) else { return nil }
            return try string(key)
        }
        func int(_ key: String) throws(AgreementError) -> Int {
            let v = try value(key)
            guard let i = v.int64Value, let exact = Int(exactly: i) else { throw mismatch(key, "an integer", v) }
            return exact
        }
        func strings(_ key: String) throws(AgreementError) -> [String] {
            let v = try value(key)
            guard let array = v.arrayValue else { throw mismatch(key, "an array", v) }
            var out: [String] = []
            for (i, element) in array.enumerated() {
                guard let s = element.stringValue else { throw mismatch("\(key)[\(i)]", "a string", element) }
                out.append(s)
            }
            return out
        }
        func enumeration<E: RawRepresentable<String>>(_ key: String, _ type: E.Type) throws(AgreementError) -> E {
            let text = try string(key)
            guard let e = E(rawValue: text) else {
                throw .validationFailed("LawEnforcementAccessRecorded: \(key): Cannot initialize \(E.self) from invalid String value \(text)")
            }
            return e
        }
        func date(_ key: String) throws(AgreementError) -> CalendarDate {
            let text = try string(key)
            guard let d = CalendarDate(text) else {
                throw .validationFailed("LawEnforcementAccessRecorded: \(key): \"\(text)\" is not a date (YYYY-MM-DD)")
            }
            return d
        }
        return LawEnforcementAccessRecorded(
            requestReference: try string("requestReference"), requestDate: try date("requestDate"),
            requesterType: try enumeration("requesterType", RequesterType.self),
            requesterOrganisation: try string("requesterOrganisation"), legalAuthority: try string("legalAuthority"),
            grounds: try enumeration("grounds", AccessGrounds.self), evidenceReference: try optionalString("evidenceReference"),
            courtOrderReference: try optionalString("courtOrderReference"), dataItemsRequested: try strings("dataItemsRequested"),
            dataItemsDisclosed: try strings("dataItemsDisclosed"), subjectsRequested: try int("subjectsRequested"),
            subjectsMatched: try int("subjectsMatched"), subjectsDisclosed: try int("subjectsDisclosed"),
            decision: try enumeration("decision", AccessDecision.self), decidedBy: try string("decidedBy"))
    }

    private static func mismatch(_ key: String, _ expected: String, _ found: JSONValue) -> AgreementError {
        .validationFailed("LawEnforcementAccessRecorded: \(key): expected \(expected), found \(found.kindName)")
    }
}

extension AgreementEvent {
    /// Decodes an event from its canonical data, taking the fast path for the
    /// commonest type.
    public init(type: String, canonical data: CanonicalJSON) throws(AgreementError) {
        if type == "LawEnforcementAccessRecorded" {
            self = .lawEnforcementAccess(try LawEnforcementAccessRecorded(canonical: data))
            return
        }
        let value: JSONValue
        do { value = try data.value() } catch { throw .validationFailed("\(type): \(error)") }
        try self.init(type: type, data: value)
    }
}
