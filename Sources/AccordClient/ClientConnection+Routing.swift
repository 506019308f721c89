import Synchronization

extension ClientConnection {
    private static let eventPushHead = Array(#"{"sub":""#.utf8)
    private static let eventMember = Array(#"","event":"#.utf8)

    /// Hands a pushed event line (`{"sub":"NAME","event":{…}}`, as the
    /// server writes it) to its subscription's event sink without parsing
    /// it; `false` for any other line.
    func routeEvent(_ line: UnsafeRawBufferPointer) -> Bool {
        let head = Self.eventPushHead
        guard line.count > head.count + 16, line.starts(with: head) else { return false }
        let nameStart = head.count
        guard let quote = line[nameStart...].firstIndex(of: UInt8(ascii: "\"")), quote - nameStart <= 32 else { return false }
        let member = Self.eventMember
        let eventStart = quote + member.count
        guard line[(quote)...].starts(with: member), line[line.count - 1] == UInt8(ascii: "}") else { return false }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[nameStart..<quote]), as: UTF8.self)
        guard let sink = state.withLock({ $0.eventSinks[name] }) else { return false }
        sink(UnsafeRawBufferPointer(rebasing: line[eventStart..<line.count - 1]))
        return true
    }

    private static let successHead = Array(#"{"id":"#.utf8)
    private static let successTail = Array(#","ok":true,"#.utf8)

    /// Hands a success line (`{"id":N,"ok":true,…`) whose request asked for
    /// the whole line (`requestLine`) to it without parsing; `false` for any
    /// other line.
    func routeWhole(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.starts(with: Self.successHead) else { return false }
        var id: Int64 = 0
        var index = Self.successHead.count
        while index < line.count, index < 26, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[index]) {
            id = id * 10 + Int64(line[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard line[index...].starts(with: Self.successTail) else { return false }
        let pending = state.withLock { state -> Pending? in
            guard state.pending[id]?.whole != nil else { return nil }
            return state.pending.removeValue(forKey: id)
        }
        guard let pending, let whole = pending.whole else { return false }
        whole(Array(line))
        pending.answer.succeed(.null)
        return true
    }
}
