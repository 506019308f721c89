import AccordJSON
import FuzzSupport
import WireProtocol

/// libFuzzer entry: the bytes a client could send, split into lines as the
/// server's line decoder does, each decoded into a typed request. Any crash, hang or sanitizer report is a bug,
/// and so is a request the one pass (`Request.decode`) reads otherwise than the general way (`decodeParsing`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequests(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        var slice = line
        if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
        Array(slice).withUnsafeBytes { raw in
            // Decoding is the whole check now: every member is read and typed there.
            let request = try? Request.decode(raw)
            if let request { _ = request.id.canonicalBytes }
            let general = try? Request.decodeParsing(raw)
            if let request {
                guard let general, general.command == request.command, general.id == request.id else {
                    fatalError("the one pass and the general way disagree on \(String(decoding: raw, as: UTF8.self))")
                }
            }
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
