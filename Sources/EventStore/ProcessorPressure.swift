import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the machine has a processor to spare for watching (see
/// `Spin`), from the kernel's processor pressure (`PressureGauge` says how).
///
/// Asked before every watch, so the common answer is two atomic loads; the
/// asker that finds a reading due takes it (one `pread` of a small file, at
/// most every 100 ms) unless another is already taking it. Without the file
/// (no pressure stall information: Linux before 4.20, a kernel built
/// without it, not Linux) or with one processor, the answer is always no.
public final class ProcessorPressure: Sendable {
    /// The file, open for the life of this, and the gauge reading it.
    private let state: Mutex<(file: Int32, gauge: PressureGauge)>
    private let nextReading = Atomic<UInt64>(0)
    private let spare = Atomic<Bool>(false)

    /// The system's processor pressure file.
    public static let systemFile = "/proc/pressure/cpu"

    /// Reads the pressure in `path` (the system's, or a cgroup's
    /// `cpu.pressure`, which has the same form); with `nil`, every watch
    /// may start (a machine known to be the server's own, or a test of the
    /// watching itself).
    public init(path: String? = ProcessorPressure.systemFile) {
        state = Mutex((-1, PressureGauge()))
        measure(path: path)
    }

    /// Reads the pressure in `path` from now on (`nil`: every watch may start).
    public func measure(path: String?) {
        state.withLock { state in
            if state.file >= 0 { close(state.file) }
            let processors = ProcessInfo.processInfo.activeProcessorCount
            state.file = path.map { processors > 1 ? open($0, O_RDONLY | O_CLOEXEC) : -1 } ?? -1
            state.gauge = PressureGauge()
            spare.store(path == nil, ordering: .relaxed)
            nextReading.store(path != nil && state.file >= 0 ? 0 : .max, ordering: .relaxed)
        }
    }

    deinit {
        state.withLock { if $0.file >= 0 { close($0.file) } }
    }

    /// Whether a watch may start at `now` (monotonic nanoseconds, `Spin.now`).
    public func isSpare(now: UInt64) -> Bool {
        if now >= nextReading.load(ordering: .relaxed) { read(now: now) }
        return spare.load(ordering: .relaxed)
    }

    private func read(now: UInt64) {
        state.withLockIfAvailable { state in
            // Another asker took the reading while this one waited for the lock.
            guard now >= state.gauge.nextReading else { return }
            state.gauge.record(now: now, stalledMicroseconds: Self.stalled(file: state.file))
            spare.store(state.gauge.spare, ordering: .relaxed)
            nextReading.store(state.gauge.nextReading, ordering: .relaxed)
        }
    }

    /// The `some` line's `total=` (the first in the file), in µs.
    static func stalled(file: Int32) -> UInt64? {
        guard file >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 160)
        let count = bytes.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return total(in: bytes[..<count])
    }

    /// The number after the first `total=` in `text`.
    static func total(in text: ArraySlice<UInt8>) -> UInt64? {
        let key = Array("total=".utf8)
        guard let start = text.indices.first(where: { text[$0...].starts(with: key) }) else { return nil }
        var value: UInt64 = 0
        var digits = 0
        for byte in text[(start + key.count)...] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
