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
