import Synchronization

/// What the server knows to be damaged in its store, from the check at
/// start, the background scrub, an admin's `check`, and any read that met
/// damaged data: while anything is, `health` says `damaged` (and `/readyz`
/// answers 503 with the findings), and the server logs and counts it. One
/// primitive, behind one lock.
///
/// Projection findings go once the projections are rebuilt (`rebuild`);
/// log findings stay until an operator restores the store (a restart then
/// checks again).
public final class StoreDamage: Sendable {
    private struct State {
        var log: [String] = []
        var projections: [String] = []
        var lastCheck: (events: UInt64, damaged: Bool)?
    }

    private let state = Mutex(State())
    /// Findings kept at most, per kind.
    static let maxFindings = 100

    public init() {}

    /// The findings of a whole check replace the earlier ones.
    func record(_ report: StoreCheck.Report) {
        record(findings: report.findings, events: report.events)
    }

    /// The same from a list of findings (`log: …`, `checkpoint: …`,
    /// `projection …`); agreements an earlier build's event damaged are
    /// not store damage (health reports them as degraded).
    func record(findings: [String], events: UInt64) {
        let log = findings.filter { !$0.hasPrefix("projection ") && !$0.hasPrefix("agreement ") }
        let projections = findings.filter { $0.hasPrefix("projection ") }
        state.withLock { state in
            state.log = Array(log.prefix(Self.maxFindings))
            state.projections = Array(projections.prefix(Self.maxFindings))
            state.lastCheck = (events, !log.isEmpty || !projections.isEmpty)
        }
    }

    /// A read met damaged data (a `corrupted` store error): kept until a check says otherwise.
    func noteRead(_ finding: String) {
        state.withLock { state in
            guard !state.log.contains(finding), state.log.count < Self.maxFindings else { return }
            state.log.append(finding)
        }
    }

    /// The projections were rebuilt from the log: what was wrong with them is gone.
    func projectionsRebuilt() {
        state.withLock { $0.projections.removeAll() }
    }

    /// Every current finding, log first; empty when nothing is known to be damaged.
    public var findings: [String] { state.withLock { $0.log + $0.projections } }

    public var isDamaged: Bool { state.withLock { !$0.log.isEmpty || !$0.projections.isEmpty } }
}
