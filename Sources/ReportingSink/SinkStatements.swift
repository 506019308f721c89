/// The statements that write the copy. Projection rows travel as one JSON
/// array a table, unpacked by `json_to_recordset` inside `apply_rows`: a
/// batch of any size is one round trip, and the sink passes the server's
/// JSON through untouched. Requests, far more numerous, travel as column arrays.
/// Effective status and review due are judged on PostgreSQL's `current_date`
/// by the schema's functions, the server's rules in SQL.
enum SinkStatements {
    static let lockState = "SELECT position, requests_position, judged_on = current_date FROM {s}.sink_state FOR UPDATE"

    /// Used inside `apply_rows`, whose parameter `p_register` holds the rows.
    static let upsertRegister = """
        INSERT INTO {s}.register AS t (
            reference, recipient_id, recipient_name, recipient_category, project_title, purpose, gateway_id, gateway_title,
            lawful_basis, data_items, identifiability, access_route, frequency, status, effective_status, decision_date,
            start_date, end_date, review_date, review_due, last_renewal, revoked_on, law_enforcement_requests,
            law_enforcement_disclosures, subjects_disclosed, position)
        SELECT r.reference, r."recipientId", r."recipientName", r."recipientCategory", r."projectTitle", r.purpose,
            r."gatewayId", (SELECT g.title FROM {s}.gateways g WHERE g.id = r."gatewayId"), r."lawfulBasis",
            ARRAY(SELECT json_array_elements_text(r."dataItems")), r.identifiability, r."accessRoute", r.frequency, r.status,
            j.effective_status, r."decisionDate", r."startDate", r."endDate", r."reviewDate",
            {s}.review_due(j.effective_status, r."reviewDate", current_date), r."lastRenewal", r."revokedOn",
            r."lawEnforcementRequests", r."lawEnforcementDisclosures", r."subjectsDisclosed", r.position
        FROM json_to_recordset(p_register) AS r(
            reference text, "recipientId" text, "recipientName" text, "recipientCategory" text, "projectTitle" text,
            purpose text, "gatewayId" text, "lawfulBasis" text, "dataItems" json, identifiability text, "accessRoute" text,
            frequency text, status text, "decisionDate" date, "startDate" date, "endDate" date, "reviewDate" date,
            "lastRenewal" date, "revokedOn" date, "lawEnforcementRequests" integer, "lawEnforcementDisclosures" integer,
            "subjectsDisclosed" integer, "position" bigint),
            LATERAL (SELECT {s}.effective_status(r.status, r."startDate", r."endDate", r."revokedOn", current_date)
                AS effective_status) j
        ON CONFLICT (reference) DO UPDATE SET
            recipient_id = EXCLUDED.recipient_id, recipient_name = EXCLUDED.recipient_name,
            recipient_category = EXCLUDED.recipient_category, project_title = EXCLUDED.project_title,
            purpose = EXCLUDED.purpose, gateway_id = EXCLUDED.gateway_id, gateway_title = EXCLUDED.gateway_title,
            lawful_basis = EXCLUDED.lawful_basis, data_items = EXCLUDED.data_items,
            identifiability = EXCLUDED.identifiability, access_route = EXCLUDED.access_route,
            frequency = EXCLUDED.frequency, status = EXCLUDED.status, effective_status = EXCLUDED.effective_status,
            decision_date = EXCLUDED.decision_date, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
            review_date = EXCLUDED.review_date, review_due = EXCLUDED.review_due, last_renewal = EXCLUDED.last_renewal,
            revoked_on = EXCLUDED.revoked_on, law_enforcement_requests = EXCLUDED.law_enforcement_requests,
            law_enforcement_disclosures = EXCLUDED.law_enforcement_disclosures,
            subjects_disclosed = EXCLUDED.subjects_disclosed, position = EXCLUDED.position
        WHERE t.position <= EXCLUDED.position
        """

    /// Used inside `apply_rows`, whose parameter `p_statistics` holds the rows.
    static let upsertStatistics = """
        INSERT INTO {s}.law_enforcement_statistics AS t (
            period_kind, period, requester_type, requests, disclosures, refusals, no_matches, subjects_requested,
            subjects_matched, subjects_disclosed)
        SELECT r."periodKind", r.period, r."requesterType", r.requests, r.disclosures, r.refusals, r."noMatches",
            r."subjectsRequested", r."subjectsMatched", r."subjectsDisclosed"
        FROM json_to_recordset(p_statistics) AS r(
            "periodKind" text, period text, "requesterType" text, requests integer, disclosures integer, refusals integer,
            "noMatches" integer, "subjectsRequested" integer, "subjectsMatched" integer, "subjectsDisclosed" integer)
        ON CONFLICT (period_kind, period, requester_type) DO UPDATE SET
            requests = EXCLUDED.requests, disclosures = EXCLUDED.disclosures, refusals = EXCLUDED.refusals,
            no_matches = EXCLUDED.no_matches, subjects_requested = EXCLUDED.subjects_requested,
            subjects_matched = EXCLUDED.subjects_matched, subjects_disclosed = EXCLUDED.subjects_disclosed
        """

    /// `$1`…`$19`: the columns of request events as arrays (`RequestColumns`),
    /// which PostgreSQL takes in binary without parsing JSON: the copy of
    /// every request is bound by this statement's speed.
    static let insertRequests = """
        INSERT INTO {s}.law_enforcement_requests (
            position, agreement_id, recorded_at, principal, request_reference, request_date, requester_type,
            requester_organisation, legal_authority, grounds, evidence_reference, court_order_reference,
            data_items_requested, data_items_disclosed, subjects_requested, subjects_matched, subjects_disclosed,
            decision, decided_by)
        SELECT u.p, u.a, u.ra::timestamptz, nullif(u.pr, ''), u.rr, u.rd::date, u.rt, u.ro, u.la, u.g, nullif(u.ev, ''),
            nullif(u.co, ''), CASE WHEN u.dr = '' THEN '{}' ELSE string_to_array(u.dr, E'\\x1f') END,
            CASE WHEN u.dd = '' THEN '{}' ELSE string_to_array(u.dd, E'\\x1f') END, u.sr, u.sm, u.sd, u.de, u.db
        FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
            $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bigint[], $16::bigint[],
            $17::bigint[], $18::text[], $19::text[])
            AS u(p, a, ra, pr, rr, rd, rt, ro, la, g, ev, co, dr, dd, sr, sm, sd, de, db)
        ON CONFLICT (position) DO NOTHING
        """

    /// `$1`: the server's gateway catalogue (`gateways` answer).
    static let upsertGateways = """
        INSERT INTO {s}.gateways AS t (id, title, permits, covers, de_identified_only)
        SELECT g.id, g.title, ARRAY(SELECT json_array_elements_text(g.permits)), g.covers, coalesce(g."deIdentifiedOnly", false)
        FROM json_to_recordset($1::json -> 'gateways') AS g(id text, title text, permits json, covers text, "deIdentifiedOnly" boolean)
        ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, permits = EXCLUDED.permits, covers = EXCLUDED.covers,
            de_identified_only = EXCLUDED.de_identified_only
        """

    /// Judges every row again on today's date (run when the date has changed since the last judgement).
    static let rejudge = """
        UPDATE {s}.register AS t SET effective_status = j.effective_status,
            review_due = {s}.review_due(j.effective_status, t.review_date, current_date)
        FROM (SELECT reference, {s}.effective_status(status, start_date, end_date, revoked_on, current_date) AS effective_status
              FROM {s}.register) j
        WHERE t.reference = j.reference
        """

    /// One call a live batch: lock the state, skip a mark already applied,
    /// judge again on a new day, upsert the rows, move the state; a single
    /// round trip, in the statement's own transaction.
    static var applyRowsFunction: String {
        """
        CREATE FUNCTION {s}.apply_rows(
            p_register json, p_statistics json, p_position bigint, p_root text, p_origin text, p_recorded_at timestamptz)
        RETURNS boolean LANGUAGE plpgsql AS $fn$
        DECLARE
            v_stored bigint;
            v_judged date;
        BEGIN
            SELECT s.position, s.judged_on INTO v_stored, v_judged FROM {s}.sink_state s FOR UPDATE;
            IF p_position <= v_stored
                AND NOT (v_stored = 0 AND (json_array_length(p_register) > 0 OR json_array_length(p_statistics) > 0)) THEN
                RETURN false;
            END IF;
            IF v_judged IS DISTINCT FROM current_date THEN
        \(rejudge);
            END IF;
            IF json_array_length(p_register) > 0 THEN
        \(upsertRegister);
            END IF;
            IF json_array_length(p_statistics) > 0 THEN
        \(upsertStatistics);
            END IF;
            UPDATE {s}.sink_state SET events_applied = events_applied + (p_position - position), position = p_position,
                root = p_root, origin = coalesce(p_origin, origin), recorded_at = p_recorded_at, applied_at = clock_timestamp(),
                judged_on = current_date;
            RETURN true;
        END
        $fn$
        """
    }
}
