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
        do {
            var i = 0
            func skipSpace() {
                while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
            }
            func skipString() -> Bool {
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
            func skipValue() -> Bool {
                var depth = 0
                while i < bytes.count {
                    switch bytes[i] {
                    case UInt8(ascii: "\""):
                        if !skipString() { return false }
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
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return false }
            i += 1
            while true {
                skipSpace()
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: "}") { return true }
                let keyStart = i + 1
                guard bytes[i] == UInt8(ascii: "\""), skipString() else { return false }
                let key = UnsafeRawBufferPointer(rebasing: bytes[keyStart..<i - 1])
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
                i += 1
                skipSpace()
                let valueStart = i
                guard skipValue() else { return false }
                var valueEnd = i
                while valueEnd > valueStart, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[valueEnd - 1]) { valueEnd -= 1 }
                try body(key, UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd]))
                skipSpace()
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: ",") { i += 1 }
            }
        }
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
