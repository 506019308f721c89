import AccordCore
import AccordJSON

extension JSONValue {
    /// The steps (`.key`, `[i]`) from this value to the first string, a
    /// value or a member name, that is not in NFC, or `nil`. Two spellings of
    /// one text must not be stored as two values (see `String.isNFC`). The
    /// steps are written only when one is found: on success, no string is built.
    func firstNonNFCSuffix() -> String? {
        switch self {
        case .string(let text): return text.isNFC ? nil : ""
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = element.firstNonNFCSuffix() { return "[\(index)]" + found }
            }
            return nil
        case .object(let members): return members.firstNonNFCSuffix()
        case .null, .bool, .integer, .double: return nil
        }
    }
}

extension JSONObject {
    /// See `JSONValue.firstNonNFCSuffix()`; members are `.key`.
    func firstNonNFCSuffix() -> String? {
        for (key, value) in self {
            guard key.isNFC else { return ".\(key)" }
            if let found = value.firstNonNFCSuffix() { return ".\(key)" + found }
        }
        return nil
    }
}
