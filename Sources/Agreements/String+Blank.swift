extension String {
    /// Empty or only white space. ASCII text, the usual case, is checked byte
    /// by byte; anything else by Unicode's white-space property.
    var isBlank: Bool {
        let bytes = utf8
        if bytes.allSatisfy({ $0 < 0x80 }) { return bytes.allSatisfy { $0 == 0x20 || (0x09...0x0D).contains($0) } }
        return allSatisfy(\.isWhitespace)
    }
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
