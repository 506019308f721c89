import Foundation

/// The entry point every fuzz target shares. Built with `-DFUZZING` (by
/// `ops/fuzz`, with `-sanitize=fuzzer`), it hands the command line to
/// libFuzzer's driver; in a normal build it replays the files or directories
/// given as arguments, for regression runs of a corpus (`ops/test`).
public enum FuzzMain {
    public typealias Entry = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

    public static func run(_ entry: Entry) throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, entry))
        #else
        var count = 0
        for argument in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory)
            let files =
                isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: argument).sorted().map { argument + "/" + $0 } : [argument]
            for file in files {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                _ = bytes.withUnsafeBufferPointer { entry($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
                count += 1
            }
        }
        print("replayed \(count) inputs without a crash")
        #endif
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
#endif
