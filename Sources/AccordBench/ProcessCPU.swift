import Foundation

/// The CPU time a local server spends, read from `/proc` (Linux): the
/// process listening on a loopback port and every process it started (a
/// PostgreSQL backend per connection, say), user plus system time. Used to
/// report CPU per operation beside throughput: steadier than throughput on
/// a shared machine.
struct ProcessCPU {
    let root: Int32

    /// The process listening on `port`, when this machine's `/proc` shows it.
    init?(listeningOn port: Int) {
        guard let pid = Self.listener(port: port) else { return nil }
        root = pid
    }

    init(pid: Int32) {
        root = pid
    }

    /// User and system CPU seconds of the root process and its descendants so far.
    func seconds() -> Double {
        let table = Self.processes()
        var total = 0.0
        var stack = [root]
        var seen: Set<Int32> = []
        while let pid = stack.popLast(), seen.insert(pid).inserted {
            total += table[pid]?.cpu ?? 0
            stack += table.filter { $0.value.parent == pid }.map(\.key)
        }
        return total
    }

    private static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Every process's parent and CPU seconds.
    private static func processes() -> [Int32: (parent: Int32, cpu: Double)] {
        var table: [Int32: (Int32, Double)] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after the command name: state ppid … utime(14) stime(15), counted from 1.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let parent = Int32(fields[1]), let user = Double(fields[11]), let system = Double(fields[12]) else {
                continue
            }
            table[pid] = (parent, (user + system) / ticks)
        }
        return table
    }

    /// The pid holding a listening socket on `port`: `/proc/net/tcp{,6}` names
    /// the socket's inode, and one process's `fd` directory links to it.
    private static func listener(port: Int) -> Int32? {
        let hexPort = String(format: "%04X", port)
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let columns = line.split(separator: " ")
                // local address, state 0A (listen), inode in column 9.
                guard columns.count > 9, columns[1].hasSuffix(":" + hexPort), columns[3] == "0A" else { continue }
                inodes.insert(String(columns[9]))
            }
        }
        guard !inodes.isEmpty else { return nil }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else {
                continue
            }
            for fd in fds {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
                    target.hasPrefix("socket:[")
                else { continue }
                if inodes.contains(String(target.dropFirst(8).dropLast())) { return pid }
            }
        }
        return nil
    }
}
