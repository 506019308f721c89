/// XML written straight into bytes: the workbooks are megabytes of cells,
/// so no document tree is built.
struct XMLBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 4_096) {
        bytes.reserveCapacity(capacity)
        raw(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        raw("\n")
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Character data or an attribute value, escaped. Text reaching here is
    /// already `publishedText` (no characters XML 1.0 forbids); tabs and line
    /// breaks are escaped so that attribute values keep them too.
    mutating func text(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            case 0x09: raw("&#9;")
            case 0x0A: raw("&#10;")
            default: bytes.append(byte)
            }
        }
    }
}
