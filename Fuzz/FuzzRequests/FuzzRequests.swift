import AccordJSON
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

import Foundation

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// With libFuzzer (`ops/fuzz`): hands the command line to libFuzzer's driver.
@main
enum FuzzRequests {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzRequests))
    }
}
#else

/// Without libFuzzer (a normal build): replays the files or directories given
/// as arguments through the entry point, for regression runs of a corpus.
@main
enum ReplayRequests {
    static func main() throws {
        var count = 0
        for argument in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory)
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: argument).sorted().map { argument + "/" + $0 } : [argument]
            for file in files {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                _ = bytes.withUnsafeBufferPointer { fuzzRequests($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
                count += 1
            }
        }
        print("replayed \(count) inputs without a crash")
    }
}
#endif
