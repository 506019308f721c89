import AccordJSON
import FuzzSupport
import WireProtocol

/// libFuzzer entry: the bytes a client could send, split into lines as the
/// server's line decoder does, each decoded into a typed request. Any crash, hang or sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequests(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        var slice = line
        if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
        Array(slice).withUnsafeBytes { raw in
            // Decoding is the whole check now: every member is read and typed there.
            if let request = try? Request.decode(raw) { _ = request.id.canonicalBytes }
            if let value = try? JSONParser.parse(Array(raw)) { _ = value.canonicalBytes }
        }
    }
    return 0
}

@main
enum FuzzRequestsMain {
    static func main() throws {
        try FuzzMain.run(fuzzRequests)
    }
}
