import AccordCore

/// The register and the statistics as CSV (RFC 4180: comma-separated, CRLF
/// line ends, fields quoted when they hold a comma, quote or line break).
/// Column names are stable: new columns are only ever added at the end.
public enum CSVExport {
    public static let registerColumns = [
        "reference", "recipient_id", "recipient_name", "recipient_category", "project_title", "purpose",
        "gateway_id", "gateway_title", "lawful_basis", "data_items", "identifiability", "access_route", "frequency",
        "status", "effective_status", "decision_date", "start_date", "end_date", "review_date", "review_due",
        "last_renewal", "revoked_on", "law_enforcement_requests", "law_enforcement_disclosures", "subjects_disclosed",
        "position",
    ]

    public static let statisticsColumns = [
        "period_kind", "period", "requester_type", "requests", "disclosures", "refusals", "no_matches",
        "subjects_requested", "subjects_matched", "subjects_disclosed",
    ]

    /// The register; multi-valued `data_items` are joined with `; `.
    public static func register(_ rows: [RegisterRow], gateways: GatewayCatalogue = .standard) -> String {
        var out = line(registerColumns)
        for r in rows {
            out += line([
                r.reference, r.recipientId, r.recipientName, r.recipientCategory.rawValue, r.projectTitle, r.purpose,
                r.gatewayId ?? "", r.gatewayId.flatMap { gateways[$0]?.title } ?? "", r.lawfulBasis?.rawValue ?? "",
                r.dataItems.joined(separator: "; "), r.identifiability.rawValue, r.accessRoute.rawValue, r.frequency.rawValue,
                r.status.rawValue, r.effectiveStatus.rawValue, text(r.decisionDate), text(r.startDate), text(r.endDate),
                text(r.reviewDate), r.reviewDue ? "yes" : "no", text(r.lastRenewal), text(r.revokedOn),
                String(r.lawEnforcementRequests), String(r.lawEnforcementDisclosures), String(r.subjectsDisclosed), String(r.position),
            ])
        }
        return out
    }

    /// The law-enforcement statistics, one row per period and requester type.
    public static func statistics(_ statistics: LawEnforcementStatistics) -> String {
        var out = line(statisticsColumns)
        for r in statistics.sortedRows {
            out += line([
                r.periodKind, r.period, r.requesterType.rawValue, String(r.requests), String(r.disclosures), String(r.refusals),
                String(r.noMatches), String(r.subjectsRequested), String(r.subjectsMatched), String(r.subjectsDisclosed),
            ])
        }
        return out
    }

    private static func text(_ date: CalendarDate?) -> String { date?.description ?? "" }

    private static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// One field, quoted when it holds a comma, a double quote or a line break.
    public static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingQuotes + "\""
    }
}

extension String {
    fileprivate var replacingQuotes: String {
        var out = ""
        for c in self {
            out.append(c)
            if c == "\"" { out.append("\"") }
        }
        return out
    }
}
