import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// This process's CPU, memory and descriptors, from Linux's /proc (zeros
/// where it is not available), as Prometheus's `process_*` series report them.
struct ProcessStatistics {
    var cpuSeconds = 0.0
    var residentBytes = 0
    var virtualBytes = 0
    var openDescriptors = 0
    var maxDescriptors = 0
    var startTime = 0.0

    static func current() -> ProcessStatistics {
        var statistics = ProcessStatistics()
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = sysconf(Int32(_SC_PAGESIZE))
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            // Fields after the command name, which may itself hold spaces; field 3 (state) is first here.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            func field(_ number: Int) -> Double { fields.count > number - 3 ? Double(fields[number - 3]) ?? 0 : 0 }
            statistics.cpuSeconds = (field(14) + field(15)) / ticks
            statistics.virtualBytes = Int(field(23))
            statistics.residentBytes = Int(field(24)) * page
            if let boot = bootTime() { statistics.startTime = boot + field(22) / ticks }
        }
        statistics.openDescriptors = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 1) - 1
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { statistics.maxDescriptors = Int(limit.rlim_cur) }
        return statistics
    }

    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("btime ") })
        else { return nil }
        return Double(line.dropFirst(6))
    }
}
