import Foundation
import Logging

/// swift-log to standard error as one JSON object a line (`--log-format
/// json`), for journald, Loki, Elasticsearch and the like:
/// `{"time":"…","level":"info","label":"accord","message":"…","metadata":{…}}`.
/// Metadata values are written as strings; key order is fixed.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "{\"time\":\(Self.quote(Self.now())),\"level\":\(Self.quote(event.level.rawValue)),\"label\":\(Self.quote(label))"
        line += ",\"message\":\(Self.quote(event.message.description))"
        if !merged.isEmpty {
            line += ",\"metadata\":{"
            line += merged.sorted { $0.key < $1.key }.map { "\(Self.quote($0.key)):\(Self.quote("\($0.value)"))" }.joined(separator: ",")
            line += "}"
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        var parts = tm()
        var seconds = time.tv_sec
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
            parts.tm_min, parts.tm_sec, time.tv_nsec / 1_000)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
