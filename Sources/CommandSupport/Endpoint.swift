/// `HOST:PORT` as given to `--listen`, `--server` and the like.
public enum Endpoint {
    /// Splits `text` into a host and a port (0–65535); `[::1]:7411` for IPv6.
    /// - Parameter option: the flag it came from, for the message.
    public static func parse(_ text: String, option: String = "--server") throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port),
            colon != text.startIndex
        else {
            throw CommandError("\(option) takes HOST:PORT, such as 127.0.0.1:7411; got \"\(text)\"")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}
