import AccordJSON
import FuzzSupport
import WireProtocol

/// libFuzzer entry: the bytes a client could send, split into lines as the
/// server's line decoder does, each parsed as a request and its members read
/// the way operations read them. Any crash, hang or sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequests(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        var slice = line
        if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
        Array(slice).withUnsafeBytes { raw in
            guard let request = try? Request.parse(raw) else { return }
            _ = try? request.agreementId()
            _ = try? request.optionalInt("from")
            _ = try? request.optionalStrings("types")
            _ = try? request.optionalBool("history")
            _ = try? request.direction()
            _ = try? request.limit()
            _ = request.id.canonicalBytes
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
