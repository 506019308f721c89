extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// The accepted values, as a reader would list them: `a, b, c`.
    public static var acceptedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The one wording of a refused value, after the member's name:
    /// `must be one of a, b; got "x"`.
    public static func mustBeOneOf(got text: String) -> String {
        "must be one of \(acceptedValues); got \"\(text)\""
    }
}
