import AccordTesting
import Foundation
import Testing

@testable import EventStore

#if canImport(Glibc)
import Glibc
#endif

/// The gauge as the server reads it: from a real file in the kernel's
/// format, rewritten in place as the kernel's counter would move, and from
/// the kernel's own file where the machine has one.
@Suite struct ProcessorPressureTests {
    let dir = TemporaryDirectory("pressure")
    static let ms: UInt64 = 1_000_000

    /// Rewrites `path` in place (the gauge keeps it open) with `total` µs stalled.
    func write(_ path: String, total: UInt64) throws {
        let text = "some avg10=1.00 avg60=2.00 avg300=3.00 total=\(total)\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(file >= 0)
        defer { close(file) }
        let written = Array(text.utf8).withUnsafeBytes { Glibc.write(file, $0.baseAddress, $0.count) }
        try #require(written == text.utf8.count)
    }

    @Test func theFileSaysWhenAProcessorIsSpare() throws {
        // One processor never watches, whatever the file says.
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return }
        let path = dir.child("cpu.pressure")
        try write(path, total: 1_000)
        let pressure = ProcessorPressure(path: path)
        #expect(!pressure.isSpare(now: 0), "one reading says nothing yet")
        try write(path, total: 11_000)
        #expect(!pressure.isSpare(now: 50 * Self.ms), "no reading is due yet")
        #expect(pressure.isSpare(now: 100 * Self.ms), "10 ms waited in 100")
        try write(path, total: 61_000)
        #expect(!pressure.isSpare(now: 200 * Self.ms), "50 ms waited in 100")
        try write(path, total: 61_000)
        #expect(!pressure.isSpare(now: 700 * Self.ms), "held busy for a second")
        #expect(pressure.isSpare(now: 1_200 * Self.ms))
        pressure.measure(path: nil)
        #expect(pressure.isSpare(now: 1_201 * Self.ms), "unmeasured: always spare")
    }

    @Test func withoutAFileNothingIsSpare() throws {
        let pressure = ProcessorPressure(path: dir.child("absent"))
        #expect(!pressure.isSpare(now: 0) && !pressure.isSpare(now: 10_000 * Self.ms))
        try Data("some avg10=1.00\n".utf8).write(to: URL(fileURLWithPath: dir.child("odd")))
        let odd = ProcessorPressure(path: dir.child("odd"))
        #expect(!odd.isSpare(now: 0) && !odd.isSpare(now: 100 * Self.ms), "a file without a total")
    }

    @Test func theTotalIsTheSomeLinesAndOverflowIsRefused() {
        let text = Array("some avg10=0.13 total=1874077\nfull avg10=0.00 total=42\n".utf8)
        #expect(ProcessorPressure.total(in: text[...]) == 1_874_077)
        #expect(ProcessorPressure.total(in: Array("total=\n".utf8)[...]) == nil)
        #expect(ProcessorPressure.total(in: Array("total=99999999999999999999999".utf8)[...]) == nil)
        #expect(ProcessorPressure.total(in: Array("total=18446744073709551615".utf8)[...]) == .max)
    }

    @Test func theKernelsCounterReads() throws {
        let file = open(ProcessorPressure.systemFile, O_RDONLY)
        try #require(file >= 0 || !FileManager.default.fileExists(atPath: ProcessorPressure.systemFile))
        guard file >= 0 else { return }
        defer { close(file) }
        #expect(ProcessorPressure.stalled(file: file) != nil, "the kernel's file reads as a counter")
    }
}
