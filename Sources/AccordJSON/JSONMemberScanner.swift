#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the top-level members of a JSON object without building it, so a
/// reader that needs three fields of a large object parses only those.
public enum JSONMemberScanner {
    /// Calls `body` with each top-level key and the bytes of its value.
    /// The text must be a valid JSON object (as canonical JSON always is);
    /// anything else stops the scan early and returns `false`.
    @discardableResult
    public static func forEachMember(
        of object: [UInt8], _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) rethrows -> Bool {
        try object.withUnsafeBytes { bytes in try forEachMember(in: bytes, body) }
    }

    /// The same over raw bytes; the buffers passed to `body` point into `bytes`.
    @discardableResult
    public static func forEachMember(
        in bytes: UnsafeRawBufferPointer, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) rethrows -> Bool {
        var i = 0
        skipSpace(bytes, &i)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return false }
        i += 1
        while true {
            skipSpace(bytes, &i)
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: "}") { return true }
            let keyStart = i + 1
            guard bytes[i] == UInt8(ascii: "\""), skipString(bytes, &i) else { return false }
            let key = UnsafeRawBufferPointer(rebasing: bytes[keyStart..<i - 1])
            skipSpace(bytes, &i)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
            i += 1
            guard let value = nextValue(bytes, &i) else { return false }
            try body(key, value)
            skipSpace(bytes, &i)
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: ",") { i += 1 }
        }
    }

    /// Calls `body` with the bytes of each element of a JSON array, as
    /// `forEachMember` does for an object's members.
    @discardableResult
    public static func forEachElement(
        in bytes: UnsafeRawBufferPointer, _ body: (_ element: UnsafeRawBufferPointer) throws -> Void
    ) rethrows -> Bool {
        var i = 0
        skipSpace(bytes, &i)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return false }
        i += 1
        while true {
            skipSpace(bytes, &i)
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: "]") { return true }
            guard let element = nextValue(bytes, &i) else { return false }
            try body(element)
            skipSpace(bytes, &i)
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: ",") { i += 1 }
        }
    }

    /// The value starting at `i` (after space), without trailing space; `i` moves past it.
    private static func nextValue(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) -> UnsafeRawBufferPointer? {
        skipSpace(bytes, &i)
        let valueStart = i
        guard skipValue(bytes, &i) else { return nil }
        var valueEnd = i
        while valueEnd > valueStart, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[valueEnd - 1]) { valueEnd -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd])
    }

    private static func skipSpace(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private static func skipString(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) -> Bool {
        i += 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""):
                i += 1
                return true
            default: i += 1
            }
        }
        return false
    }

    private static func skipValue(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) -> Bool {
        var depth = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                if !skipString(bytes, &i) { return false }
                if depth == 0 { return true }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return true }
                depth -= 1
                if depth == 0 {
                    i += 1
                    return true
                }
            case UInt8(ascii: ","): if depth == 0 { return true }
            default: break
            }
            i += 1
        }
        return depth == 0
    }
}

extension UnsafeRawBufferPointer {
    /// Whether these bytes are `text`'s UTF-8: a length check and one
    /// `memcmp`, for the member names and types replays compare millions of
    /// times (a generic `elementsEqual` walks them byte by byte).
    public func equals(_ text: StaticString) -> Bool {
        guard count == text.utf8CodeUnitCount else { return false }
        guard let base = baseAddress, count > 0 else { return true }
        return memcmp(base, text.utf8Start, count) == 0
    }
}
