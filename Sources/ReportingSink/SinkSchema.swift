/// The tables, views and functions the sink keeps in its PostgreSQL schema,
/// as numbered migrations: the sink applies those the schema has not seen,
/// each in its own transaction with its number recorded in `schema_version`.
/// Migrations are only ever added; one already released is never edited.
///
/// Every statement names objects through `{s}`, the quoted schema name.
enum SinkSchema {
    /// The newest version this sink knows.
    static var latest: Int { migrations.count }

    /// `migrations[n - 1]` takes a schema from version `n - 1` to `n`.
    static let migrations: [[String]] = [version1]

    /// The statements of a migration with the schema name put in.
    static func statements(_ migration: [String], schema: String) -> [String] {
        migration.map { $0.replacingOccurrences(of: "{s}", with: quoted(schema)) }
    }

    /// What runs before the version is read: the schema and the table that records versions.
    static let bootstrap = [
        "CREATE SCHEMA IF NOT EXISTS {s}",
        "CREATE TABLE IF NOT EXISTS {s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    ]

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static let registerColumns = """
        reference text, recipient_id text, recipient_name text, recipient_category text, project_title text, purpose text,
        gateway_id text, gateway_title text, lawful_basis text, data_items text[], identifiability text, access_route text,
        frequency text, status text, effective_status text, decision_date date, start_date date, end_date date,
        review_date date, review_due boolean, last_renewal date, revoked_on date, law_enforcement_requests integer,
        law_enforcement_disclosures integer, subjects_disclosed integer, "position" bigint
        """

    static let version1: [String] = [
        """
        CREATE TABLE {s}.sink_state (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            origin text,
            position bigint NOT NULL DEFAULT 0,
            root text,
            recorded_at timestamptz,
            applied_at timestamptz,
            events_applied bigint NOT NULL DEFAULT 0,
            judged_on date,
            requests_position bigint
        )
        """,
        "INSERT INTO {s}.sink_state DEFAULT VALUES",
        """
        CREATE TABLE {s}.gateways (
            id text PRIMARY KEY, title text NOT NULL, permits text[] NOT NULL, covers text NOT NULL, de_identified_only boolean NOT NULL
        )
        """,
        """
        CREATE TABLE {s}.register (
            reference text PRIMARY KEY,
            recipient_id text NOT NULL, recipient_name text NOT NULL, recipient_category text NOT NULL,
            project_title text NOT NULL, purpose text NOT NULL,
            gateway_id text, gateway_title text, lawful_basis text,
            data_items text[] NOT NULL,
            identifiability text NOT NULL, access_route text NOT NULL, frequency text NOT NULL,
            status text NOT NULL, effective_status text NOT NULL,
            decision_date date, start_date date, end_date date, review_date date,
            review_due boolean NOT NULL,
            last_renewal date, revoked_on date,
            law_enforcement_requests integer NOT NULL, law_enforcement_disclosures integer NOT NULL,
            subjects_disclosed integer NOT NULL,
            position bigint NOT NULL
        )
        """,
        "CREATE INDEX ON {s}.register (recipient_id)",
        """
        CREATE TABLE {s}.law_enforcement_statistics (
            period_kind text NOT NULL, period text NOT NULL, requester_type text NOT NULL,
            requests integer NOT NULL, disclosures integer NOT NULL, refusals integer NOT NULL, no_matches integer NOT NULL,
            subjects_requested integer NOT NULL, subjects_matched integer NOT NULL, subjects_disclosed integer NOT NULL,
            PRIMARY KEY (period_kind, period, requester_type)
        )
        """,
        """
        CREATE TABLE {s}.law_enforcement_requests (
            position bigint PRIMARY KEY,
            agreement_id text NOT NULL, recorded_at timestamptz NOT NULL, principal text,
            request_reference text NOT NULL, request_date date NOT NULL, requester_type text NOT NULL,
            requester_organisation text NOT NULL, legal_authority text NOT NULL, grounds text NOT NULL,
            evidence_reference text, court_order_reference text,
            data_items_requested text[] NOT NULL, data_items_disclosed text[] NOT NULL,
            subjects_requested integer NOT NULL, subjects_matched integer NOT NULL, subjects_disclosed integer NOT NULL,
            decision text NOT NULL, decided_by text NOT NULL
        )
        """,
        "CREATE INDEX ON {s}.law_enforcement_requests (agreement_id)",
        """
        CREATE FUNCTION {s}.effective_status(status text, start_date date, end_date date, revoked_on date, on_date date)
        RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE
                WHEN status IN ('proposed', 'rejected', 'withdrawn', 'suspended') THEN status
                WHEN status = 'revoked' AND revoked_on IS NOT NULL AND on_date >= revoked_on THEN 'revoked'
                WHEN start_date IS NULL OR end_date IS NULL THEN 'proposed'
                WHEN on_date < start_date THEN 'approved_not_started'
                WHEN on_date > end_date THEN 'expired'
                ELSE 'in_force'
            END
        $$
        """,
        """
        CREATE FUNCTION {s}.review_due(effective_status text, review_date date, on_date date)
        RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
            SELECT review_date IS NOT NULL AND on_date >= review_date
                AND effective_status IN ('approved_not_started', 'in_force', 'suspended')
        $$
        """,
        """
        CREATE FUNCTION {s}.register_on(on_date date) RETURNS TABLE (\(registerColumns))
        LANGUAGE sql STABLE AS $$
            SELECT reference, recipient_id, recipient_name, recipient_category, project_title, purpose,
                gateway_id, gateway_title, lawful_basis, data_items, identifiability, access_route, frequency, status,
                judged.effective_status, decision_date, start_date, end_date, review_date,
                {s}.review_due(judged.effective_status, review_date, on_date),
                last_renewal, revoked_on, law_enforcement_requests, law_enforcement_disclosures, subjects_disclosed, position
            FROM {s}.register,
                LATERAL (SELECT {s}.effective_status(status, start_date, end_date, revoked_on, on_date) AS effective_status) judged
        $$
        """,
        "CREATE VIEW {s}.register_on_today AS SELECT * FROM {s}.register_on(current_date)",
        SinkStatements.applyRowsFunction,
        """
        CREATE VIEW {s}.recipients AS
            SELECT DISTINCT ON (recipient_id) recipient_id AS id, recipient_name AS name, recipient_category AS category,
                count(*) OVER w AS agreements,
                sum(law_enforcement_requests) OVER w AS law_enforcement_requests,
                sum(law_enforcement_disclosures) OVER w AS law_enforcement_disclosures,
                sum(subjects_disclosed) OVER w AS subjects_disclosed
            FROM {s}.register
            WINDOW w AS (PARTITION BY recipient_id)
            ORDER BY recipient_id, reference COLLATE "C"
        """,
    ]
}
