import AccordCore
import AccordJSON

extension JSONValue {
    /// The path of the first string below `path`, a value or a member name,
    /// that is not in NFC, or `nil`. Two spellings of one text must not be
    /// stored as two values (see `String.isNFC`).
    func firstNonNFCString(at path: String) -> String? {
        switch self {
        case .string(let text): return text.isNFC ? nil : path
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = element.firstNonNFCString(at: "\(path)[\(index)]") { return found }
            }
            return nil
        case .object(let members): return members.firstNonNFCString(at: path)
        case .null, .bool, .integer, .double: return nil
        }
    }
}

extension JSONObject {
    /// See `JSONValue.firstNonNFCString(at:)`; members are named `path.key`.
    func firstNonNFCString(at path: String) -> String? {
        for (key, value) in self {
            guard key.isNFC else { return "\(path).\(key)" }
            if let found = value.firstNonNFCString(at: "\(path).\(key)") { return found }
        }
        return nil
    }
}
