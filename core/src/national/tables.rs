//! What is published, table by table: the national table, the columns a publish sends, and the
//! SQLite query that reads them on the desk (records changed after `?1`, never sample records).
//! Dates stay text (a registry's dates may be partial: "2018", "2018-04"); `updated_at` and
//! `deleted_at` become timestamps on the server.

/// One published table.
pub(crate) struct Table {
    /// Its name in the schema `taawun_national`.
    pub name: &'static str,
    /// The columns sent, in the order `local` reads them.
    pub columns: &'static [&'static str],
    /// For a table of a record's lists (parties, budget lines): the record's table and the
    /// column holding its UUID. Those rows are replaced whole for each record published.
    pub parent: Option<(&'static str, &'static str)>,
    /// The desk's query: the records (or their lists' rows) changed after `?1`.
    pub local: &'static str,
}

/// The published tables, parents before their lists.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "partner",
        columns: &["uuid", "kind", "name_ar", "name_latin", "short_name", "country", "region", "city", "updated_at", "deleted_at"],
        parent: None,
        local: "SELECT uuid, kind, name_ar, name_latin, short_name, country, region, city, updated_at, deleted_at
                FROM partner WHERE updated_at > ?1 AND is_sample = 0",
    },
    Table {
        name: "agreement",
        columns: &[
            "uuid", "kind", "title_ar", "title_fr", "legal_basis", "reference", "signed_on", "signed_at", "effective_from",
            "duration_months", "end_on", "expires_on", "tacit_renewal", "status", "status_on", "direction", "updated_at",
            "deleted_at",
        ],
        parent: None,
        // `direction` is read as the parties' countries and derived on the desk (see `publish`).
        local: "SELECT a.uuid, a.kind, a.title_ar, a.title_fr, a.legal_basis, a.reference, a.signed_on, a.signed_at,
                       a.effective_from, a.duration_months, a.end_on, a.expires_on, a.tacit_renewal <> 0, a.status, a.status_on,
                       (SELECT group_concat(p.country, ' ') FROM agreement_party ap JOIN partner p ON p.id = ap.partner_id
                         WHERE ap.agreement_id = a.id),
                       a.updated_at, a.deleted_at
                FROM agreement a WHERE a.updated_at > ?1 AND a.is_sample = 0",
    },
    Table {
        name: "agreement_party",
        columns: &["agreement", "partner", "position"],
        parent: Some(("agreement", "agreement")),
        local: "SELECT a.uuid, p.uuid, ap.position FROM agreement_party ap
                JOIN agreement a ON a.id = ap.agreement_id JOIN partner p ON p.id = ap.partner_id
                WHERE a.updated_at > ?1 AND a.is_sample = 0",
    },
    Table {
        name: "agreement_area",
        columns: &["agreement", "position", "area"],
        parent: Some(("agreement", "agreement")),
        local: "SELECT a.uuid, x.position, x.area FROM agreement_area x JOIN agreement a ON a.id = x.agreement_id
                WHERE a.updated_at > ?1 AND a.is_sample = 0",
    },
    Table {
        name: "project",
        columns: &[
            "uuid", "agreement", "title_ar", "title_fr", "fund", "fund_edition", "tranche", "status", "start_on", "end_on",
            "beneficiaries", "updated_at", "deleted_at",
        ],
        parent: None,
        local: "SELECT x.uuid, a.uuid, x.title_ar, x.title_fr, x.fund, x.fund_edition, x.tranche, x.status, x.start_on,
                       x.end_on, x.beneficiaries, x.updated_at, x.deleted_at
                FROM project x JOIN agreement a ON a.id = x.agreement_id WHERE x.updated_at > ?1 AND x.is_sample = 0",
    },
    Table {
        name: "budget_line",
        columns: &["project", "position", "partner", "label", "amount_minor", "currency"],
        parent: Some(("project", "project")),
        local: "SELECT x.uuid, b.position, p.uuid, b.label, b.amount_minor, b.currency FROM budget_line b
                JOIN project x ON x.id = b.project_id LEFT JOIN partner p ON p.id = b.partner_id
                WHERE x.updated_at > ?1 AND x.is_sample = 0",
    },
    Table {
        name: "project_activity",
        columns: &["project", "position", "kind", "title", "start_on", "end_on", "people_trained"],
        parent: Some(("project", "project")),
        local: "SELECT x.uuid, t.position, t.kind, t.title, t.start_on, t.end_on, t.people_trained FROM project_activity t
                JOIN project x ON x.id = t.project_id WHERE x.updated_at > ?1 AND x.is_sample = 0",
    },
    Table {
        name: "membership",
        columns: &["uuid", "partner", "since", "dues_minor", "dues_currency", "updated_at", "deleted_at"],
        parent: None,
        local: "SELECT m.uuid, p.uuid, m.since, m.dues_minor, m.dues_currency, m.updated_at, m.deleted_at
                FROM membership m JOIN partner p ON p.id = m.partner_id WHERE m.updated_at > ?1 AND m.is_sample = 0",
    },
    Table {
        name: "deliberation",
        columns: &[
            "uuid", "session", "session_kind", "session_year", "session_month", "point_title", "subject_kind", "subject",
            "number", "decided_on", "members_present", "votes_for", "votes_against", "abstentions", "outcome", "visa_status",
            "visa_on", "updated_at", "deleted_at",
        ],
        parent: None,
        // The deliberations on cooperation: those on a point about an agreement, project or membership.
        local: "SELECT d.uuid, s.uuid, s.kind, s.year, s.month, pt.title, pt.subject_kind,
                       CASE pt.subject_kind WHEN 'agreement' THEN (SELECT uuid FROM agreement WHERE id = pt.subject_id)
                                            WHEN 'project' THEN (SELECT uuid FROM project WHERE id = pt.subject_id)
                                            WHEN 'membership' THEN (SELECT uuid FROM membership WHERE id = pt.subject_id) END,
                       d.number, d.decided_on, d.members_present, d.votes_for, d.votes_against, d.abstentions, d.outcome,
                       d.visa_status, d.visa_on, d.updated_at, coalesce(d.deleted_at, pt.deleted_at, s.deleted_at)
                FROM deliberation d JOIN agenda_point pt ON pt.id = d.point_id JOIN session s ON s.id = pt.session_id
                WHERE d.updated_at > ?1 AND d.is_sample = 0 AND pt.subject_kind IN ('agreement', 'project', 'membership')",
    },
    Table {
        name: "document",
        columns: &["uuid", "subject_kind", "subject", "kind", "sha256", "size", "media_type", "signed_on", "updated_at", "deleted_at"],
        parent: None,
        // Their kinds and hashes, never their contents.
        local: "SELECT d.uuid, d.entity,
                       CASE d.entity WHEN 'partner' THEN (SELECT uuid FROM partner WHERE id = d.entity_id)
                                     WHEN 'agreement' THEN (SELECT uuid FROM agreement WHERE id = d.entity_id)
                                     WHEN 'project' THEN (SELECT uuid FROM project WHERE id = d.entity_id)
                                     WHEN 'membership' THEN (SELECT uuid FROM membership WHERE id = d.entity_id) END,
                       d.kind, d.sha256, d.size, d.media_type, d.signed_on, d.updated_at, d.deleted_at
                FROM document d WHERE d.updated_at > ?1 AND d.is_sample = 0
                  AND d.entity IN ('partner', 'agreement', 'project', 'membership')",
    },
];

/// The schema's migrations, each applied once, in order, by the publish that finds it missing.
pub(crate) const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE taawun_national.council (
    uuid uuid PRIMARY KEY,
    name_ar text NOT NULL,
    name_fr text NOT NULL,
    first_published_at timestamptz NOT NULL DEFAULT now(),
    last_published_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE taawun_national.partner (
    uuid uuid PRIMARY KEY,
    council uuid NOT NULL REFERENCES taawun_national.council,
    kind text NOT NULL,
    name_ar text NOT NULL,
    name_latin text NOT NULL,
    short_name text NOT NULL,
    country text NOT NULL,
    region text NOT NULL,
    city text NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    published_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE taawun_national.agreement (
    uuid uuid PRIMARY KEY,
    council uuid NOT NULL REFERENCES taawun_national.council,
    kind text NOT NULL,
    title_ar text NOT NULL,
    title_fr text NOT NULL,
    legal_basis text NOT NULL,
    reference text NOT NULL,
    signed_on text NOT NULL,
    signed_year int GENERATED ALWAYS AS (CASE WHEN signed_on ~ '^[0-9]{4}' THEN substr(signed_on, 1, 4)::int END) STORED,
    signed_at text NOT NULL,
    effective_from text NOT NULL,
    duration_months int,
    end_on text NOT NULL,
    expires_on text,
    tacit_renewal boolean NOT NULL,
    status text NOT NULL,
    status_on text NOT NULL,
    direction text,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    published_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agreement_council ON taawun_national.agreement (council);
CREATE TABLE taawun_national.agreement_party (
    agreement uuid NOT NULL REFERENCES taawun_national.agreement ON DELETE CASCADE,
    partner uuid NOT NULL,
    position int NOT NULL,
    PRIMARY KEY (agreement, partner)
);
CREATE INDEX agreement_party_partner ON taawun_national.agreement_party (partner);
CREATE TABLE taawun_national.agreement_area (
    agreement uuid NOT NULL REFERENCES taawun_national.agreement ON DELETE CASCADE,
    position int NOT NULL,
    area text NOT NULL,
    PRIMARY KEY (agreement, position)
);
CREATE TABLE taawun_national.project (
    uuid uuid PRIMARY KEY,
    council uuid NOT NULL REFERENCES taawun_national.council,
    agreement uuid NOT NULL,
    title_ar text NOT NULL,
    title_fr text NOT NULL,
    fund text NOT NULL,
    fund_edition text NOT NULL,
    tranche text NOT NULL,
    status text NOT NULL,
    start_on text NOT NULL,
    end_on text NOT NULL,
    beneficiaries text NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    published_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE taawun_national.budget_line (
    project uuid NOT NULL REFERENCES taawun_national.project ON DELETE CASCADE,
    position int NOT NULL,
    partner uuid,
    label text NOT NULL,
    amount_minor bigint NOT NULL,
    currency text NOT NULL,
    PRIMARY KEY (project, position)
);
CREATE TABLE taawun_national.project_activity (
    project uuid NOT NULL REFERENCES taawun_national.project ON DELETE CASCADE,
    position int NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    start_on text NOT NULL,
    end_on text NOT NULL,
    people_trained int,
    PRIMARY KEY (project, position)
);
CREATE TABLE taawun_national.membership (
    uuid uuid PRIMARY KEY,
    council uuid NOT NULL REFERENCES taawun_national.council,
    partner uuid NOT NULL,
    since text NOT NULL,
    dues_minor bigint,
    dues_currency text NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    published_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE taawun_national.deliberation (
    uuid uuid PRIMARY KEY,
    council uuid NOT NULL REFERENCES taawun_national.council,
    session uuid NOT NULL,
    session_kind text NOT NULL,
    session_year int NOT NULL,
    session_month int NOT NULL,
    point_title text NOT NULL,
    subject_kind text NOT NULL,
    subject uuid,
    number text NOT NULL,
    decided_on text NOT NULL,
    members_present int NOT NULL,
    votes_for int NOT NULL,
    votes_against int NOT NULL,
    abstentions int NOT NULL,
    outcome text NOT NULL,
    visa_status text NOT NULL,
    visa_on text NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    published_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE taawun_national.document (
    uuid uuid PRIMARY KEY,
    council uuid NOT NULL REFERENCES taawun_national.council,
    subject_kind text NOT NULL,
    subject uuid,
    kind text NOT NULL,
    sha256 text NOT NULL CHECK (length(sha256) = 64),
    size bigint NOT NULL,
    media_type text NOT NULL,
    signed_on text NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    published_at timestamptz NOT NULL DEFAULT now()
);

-- The national figures: live agreements with their council and partners, and counts.
CREATE VIEW taawun_national.national_agreements AS
SELECT a.uuid, a.council, c.name_ar AS council_name_ar, c.name_fr AS council_name_fr,
       a.kind, a.title_ar, a.title_fr, a.reference, a.signed_on, a.signed_year, a.status, a.direction, a.expires_on,
       (SELECT string_agg(CASE WHEN p.name_latin <> '' THEN p.name_latin ELSE p.name_ar END, ' · ' ORDER BY ap.position)
          FROM taawun_national.agreement_party ap JOIN taawun_national.partner p ON p.uuid = ap.partner
         WHERE ap.agreement = a.uuid) AS partners,
       (SELECT string_agg(DISTINCT p.country, ' ')
          FROM taawun_national.agreement_party ap JOIN taawun_national.partner p ON p.uuid = ap.partner
         WHERE ap.agreement = a.uuid) AS countries
  FROM taawun_national.agreement a JOIN taawun_national.council c ON c.uuid = a.council
 WHERE a.deleted_at IS NULL;
CREATE VIEW taawun_national.national_counts_by_council AS
SELECT council, council_name_ar, council_name_fr, count(*) AS agreements,
       count(*) FILTER (WHERE status = 'in_force') AS in_force
  FROM taawun_national.national_agreements GROUP BY council, council_name_ar, council_name_fr;
CREATE VIEW taawun_national.national_counts_by_country AS
SELECT p.country, count(DISTINCT a.uuid) AS agreements, count(DISTINCT a.council) AS councils
  FROM taawun_national.agreement a
  JOIN taawun_national.agreement_party ap ON ap.agreement = a.uuid
  JOIN taawun_national.partner p ON p.uuid = ap.partner
 WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL
 GROUP BY p.country;
CREATE VIEW taawun_national.national_counts_by_kind AS
SELECT kind, count(*) AS agreements, count(DISTINCT council) AS councils
  FROM taawun_national.national_agreements GROUP BY kind;
CREATE VIEW taawun_national.national_counts_by_direction AS
SELECT direction, count(*) AS agreements, count(DISTINCT council) AS councils
  FROM taawun_national.national_agreements GROUP BY direction;
CREATE VIEW taawun_national.national_counts_by_year AS
SELECT signed_year AS year, count(*) AS agreements, count(DISTINCT council) AS councils
  FROM taawun_national.national_agreements GROUP BY signed_year;
"#];
