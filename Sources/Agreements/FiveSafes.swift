/// The Five Safes: people, projects, settings, data, outputs.
public struct FiveSafes: Codable, Sendable, Hashable {
    public var people: SafeAssessment
    public var projects: SafeAssessment
    public var settings: SafeAssessment
    public var data: SafeAssessment
    public var outputs: SafeAssessment

    public init(people: SafeAssessment, projects: SafeAssessment, settings: SafeAssessment, data: SafeAssessment, outputs: SafeAssessment) {
        self.people = people
        self.projects = projects
        self.settings = settings
        self.data = data
        self.outputs = outputs
    }

    /// The safes rated `not_met`, by name.
    public var unmet: [String] {
        [("people", people), ("projects", projects), ("settings", settings), ("data", data), ("outputs", outputs)]
            .filter { $0.1.rating == .notMet }.map(\.0)
    }
}

extension FiveSafes {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "people", "projects", "settings", "data", "outputs")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        let safe = SafeAssessment.keys
        self.init(
            people: try data.object(0, keys: safe, SafeAssessment.init), projects: try data.object(1, keys: safe, SafeAssessment.init),
            settings: try data.object(2, keys: safe, SafeAssessment.init), data: try data.object(3, keys: safe, SafeAssessment.init),
            outputs: try data.object(4, keys: safe, SafeAssessment.init))
    }
}
