import GRDB

/// The registry's schema, as named migrations applied in order, each in its own transaction.
enum RegistrySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-29-registry") { db in
            // Counters that only ever grow: status-list indexes and e-license serials are
            // never reused, even when a transaction that reserved them is lost.
            try db.execute(sql: """
                CREATE TABLE counter (
                    name TEXT PRIMARY KEY,
                    next INTEGER NOT NULL
                );
                INSERT INTO counter (name, next) VALUES ('status_index', 0), ('license_serial', 1);

                CREATE TABLE signing_key (
                    kid TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('root', 'issuer', 'log')),
                    algorithm TEXT NOT NULL,
                    spki BLOB NOT NULL PRIMARY KEY,
                    private_key_file TEXT,
                    valid_from INTEGER NOT NULL,
                    valid_until INTEGER,
                    state TEXT NOT NULL CHECK (state IN ('active', 'retired', 'revoked')),
                    created_at INTEGER NOT NULL
                );

                CREATE TABLE certificate (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    number TEXT NOT NULL,
                    license_id TEXT NOT NULL UNIQUE,
                    license_serial TEXT NOT NULL,
                    citizen_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    category INTEGER NOT NULL CHECK (category BETWEEN 1 AND 7),
                    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
                    region TEXT NOT NULL,
                    ssc_card TEXT,
                    valid_from TEXT NOT NULL,
                    valid_until TEXT NOT NULL,
                    status_index INTEGER NOT NULL UNIQUE,
                    state TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'revoked', 'superseded')),
                    code TEXT NOT NULL,
                    kid TEXT NOT NULL,
                    issued_at INTEGER NOT NULL,
                    superseded_by INTEGER REFERENCES certificate(id)
                );
                -- One live (active or suspended) certificate per person, enforced by the database.
                CREATE UNIQUE INDEX certificate_one_live_per_person
                    ON certificate(citizen_id) WHERE state IN ('active', 'suspended');
                CREATE INDEX certificate_by_number ON certificate(number);
                CREATE INDEX certificate_by_ssc ON certificate(ssc_card);

                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    certificate_id INTEGER REFERENCES certificate(id),
                    kind TEXT NOT NULL,
                    reason TEXT,
                    at INTEGER NOT NULL
                );
                CREATE INDEX event_by_certificate ON event(certificate_id);

                CREATE TABLE publication (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('trust-list', 'status-list', 'catalogue')),
                    sequence INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    issued_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    UNIQUE (kind, sequence)
                );
                """)
        }
        migrator.registerMigration("2026-11-29-household-facts-and-redemptions") { db in
            try db.execute(sql: """
                -- Household facts the issuer records (精准采集), read by catalogue rules.
                CREATE TABLE household_fact (
                    citizen_id TEXT NOT NULL,
                    fact TEXT NOT NULL,
                    value INTEGER NOT NULL CHECK (value IN (0, 1)),
                    recorded_at INTEGER NOT NULL,
                    PRIMARY KEY (citizen_id, fact)
                );

                -- Services delivered: one row per redeemed service code (by its cti, never by a
                -- hash of its signature), or per service recorded as received.
                CREATE TABLE redemption (
                    token_id TEXT PRIMARY KEY,
                    license_id TEXT NOT NULL,
                    service TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    verifier TEXT
                );
                CREATE INDEX redemption_by_service ON redemption(service, license_id);
                """)
        }
        migrator.registerMigration("2026-11-29-api-keys-and-verification-events") { db in
            try db.execute(sql: """
                -- Keys of the HTTP service's clients. Only SHA-256 of the secret is kept: a
                -- stolen database gives no usable key.
                CREATE TABLE api_key (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    secret_hash BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );

                -- One row per verification or redemption over HTTP: who asked, for which service,
                -- with what result. No personal data beyond the certificate reference.
                CREATE TABLE verification_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    api_key TEXT,
                    route TEXT NOT NULL,
                    service TEXT,
                    reason TEXT NOT NULL,
                    license_id TEXT
                );
                CREATE INDEX verification_event_by_time ON verification_event(at);

                -- One row per social-security-card lookup: who, when, which card (masked), why.
                CREATE TABLE lookup_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    api_key TEXT,
                    card_hash TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    found INTEGER NOT NULL CHECK (found IN (0, 1))
                );
                CREATE INDEX lookup_event_by_time ON lookup_event(at);
                """)
        }
        migrator.registerMigration("2026-11-29-transparency-log") { db in
            try db.execute(sql: """
                -- The issuance transparency log (RFC 9162): one row per leaf, in the same
                -- transaction as the event it records; idx is the leaf index, from 0.
                CREATE TABLE log_entry (
                    idx INTEGER PRIMARY KEY CHECK (idx >= 0),
                    event_id INTEGER REFERENCES event(id),
                    kind TEXT NOT NULL,
                    license_id TEXT,
                    data BLOB NOT NULL
                );
                CREATE INDEX log_entry_by_license ON log_entry(license_id, kind);

                -- The tree's complete subtrees (MerkleHashStore): written once, never changed.
                CREATE TABLE merkle_node (
                    level INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (level, idx)
                ) WITHOUT ROWID;
                CREATE TABLE merkle_size (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    leaf_count INTEGER NOT NULL
                );
                INSERT INTO merkle_size (id, leaf_count) VALUES (1, 0);

                -- Signed checkpoints (C2SP tlog-checkpoint as a signed note), one per tree size.
                CREATE TABLE log_checkpoint (
                    size INTEGER PRIMARY KEY,
                    root BLOB NOT NULL,
                    note TEXT NOT NULL,
                    signed_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("2026-12-03-holder-devices") { db in
            try db.execute(sql: """
                -- Enrolment links made at the service window: single use, short-lived; only the
                -- SHA-256 of the link's secret is kept. An agent (帮办代办) is named here.
                CREATE TABLE holder_enrollment (
                    id TEXT PRIMARY KEY,
                    secret_hash BLOB NOT NULL,
                    certificate_id INTEGER NOT NULL REFERENCES certificate(id),
                    agent_name TEXT,
                    agent_id_number TEXT,
                    agent_relation TEXT CHECK (agent_relation IN ('guardian', 'family', 'caseworker')),
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    used_at INTEGER,
                    device_id TEXT
                );

                -- A holder's (or agent's) browser key: the RFC 7638 thumbprint of its P-256 JWK
                -- is its id; the public key is kept to check DPoP proofs (RFC 9449).
                CREATE TABLE holder_device (
                    id TEXT PRIMARY KEY,
                    certificate_id INTEGER NOT NULL REFERENCES certificate(id),
                    spki BLOB NOT NULL,
                    agent_name TEXT,
                    agent_relation TEXT,
                    enrolled_at INTEGER NOT NULL,
                    revoked_at INTEGER,
                    revoke_reason TEXT
                );
                CREATE INDEX holder_device_by_certificate ON holder_device(certificate_id);

                -- DPoP proof ids seen within the acceptance window: a proof is used once.
                CREATE TABLE dpop_proof (
                    jti TEXT PRIMARY KEY,
                    device_id TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE INDEX dpop_proof_by_time ON dpop_proof(at);

                -- Each code minted on a device: which device, never the code.
                CREATE TABLE holder_code_event (
                    id INTEGER PRIMARY KEY,
                    device_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    service TEXT,
                    at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("2026-12-03-plan-records") { db in
            try db.execute(sql: """
                -- Where a household fact came from (a Civil Affairs extract, a clerk) and the
                -- date it held on.
                ALTER TABLE household_fact ADD COLUMN source TEXT;
                ALTER TABLE household_fact ADD COLUMN as_of TEXT;

                -- Benefits paid or delivered outside the QR flow (a month's subsidy list from
                -- the finance system): one row per person, service and day.
                CREATE TABLE delivery (
                    id INTEGER PRIMARY KEY,
                    citizen_id TEXT NOT NULL,
                    service TEXT NOT NULL,
                    delivered_on TEXT NOT NULL,
                    amount_fen INTEGER,
                    source TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    UNIQUE (citizen_id, service, delivered_on)
                );
                CREATE INDEX delivery_by_service ON delivery(service, citizen_id);

                -- The certified persons of the region (the federation's roster): the
                -- denominator of the electronic-certificate share. Replaced whole by an import.
                CREATE TABLE roster (
                    citizen_id TEXT PRIMARY KEY,
                    source TEXT NOT NULL,
                    as_of TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL
                );

                -- Since when each person has been judged entitled to each benefit: what makes
                -- an entitlement "new" for proactive discovery (主动推送).
                CREATE TABLE entitlement (
                    citizen_id TEXT NOT NULL,
                    service TEXT NOT NULL,
                    since INTEGER NOT NULL,
                    PRIMARY KEY (citizen_id, service)
                );
                """)
        }
        migrator.registerMigration("2026-12-04-certificate-by-person") { db in
            try db.execute(sql: """
                -- One index of a person's certificates instead of two. Both old ones were keyed by
                -- citizen ID (a certificate number is its holder's ID number, the category and
                -- the level: GB/T 26341-2010), and a province's spreadsheet is in no order, so
                -- every row of a batch dirtied a page of each: half the pages a batch wrote.
                -- Lookups by number now go through the holder's ID.
                --
                -- It still enforces one live (active or suspended) certificate per person: the
                -- second key is 0 for a live certificate and the row id for any other, so two
                -- live certificates of one person collide and nothing else can.
                DROP INDEX certificate_by_number;
                DROP INDEX certificate_one_live_per_person;
                CREATE UNIQUE INDEX certificate_by_person
                    ON certificate(citizen_id, CASE WHEN state IN ('active', 'suspended') THEN 0 ELSE id END);
                """)
        }
        migrator.registerMigration("2026-12-04-certificate-not-active") { db in
            try db.execute(sql: """
                -- The certificates a status list marks (suspended, revoked, superseded), by status
                -- index. Issuance inserts active certificates, which this index leaves out: it
                -- costs a batch nothing, and publishing a list reads only these.
                CREATE INDEX certificate_not_active ON certificate(status_index) WHERE state <> 'active';
                """)
        }
        migrator.registerMigration("2026-12-04-entitlement-without-rowid") { db in
            try db.execute(sql: """
                -- Entitlements kept in the order of their key alone (WITHOUT ROWID: one B-tree, not
                -- a table and an index of the same key). A first discovery over a million holders
                -- records some fifteen million, and each had been written twice.
                CREATE TABLE entitlement_by_person (
                    citizen_id TEXT NOT NULL,
                    service TEXT NOT NULL,
                    since INTEGER NOT NULL,
                    PRIMARY KEY (citizen_id, service)
                ) WITHOUT ROWID;
                INSERT INTO entitlement_by_person (citizen_id, service, since)
                    SELECT citizen_id, service, since FROM entitlement ORDER BY citizen_id, service;
                DROP TABLE entitlement;
                ALTER TABLE entitlement_by_person RENAME TO entitlement;
                """)
        }
        migrator.registerMigration("2026-12-04-license-serial-used") { db in
            try db.execute(sql: """
                -- The highest e-license serial counter a stored certificate uses (a serial is
                -- yyyyMMdd and the counter), kept as certificates are stored: a batch starts by
                -- handing out again what an interrupted one reserved and never used, and
                -- finding it among the certificates read every one of them (half a second at a
                -- million, before a batch of ten could start). Found that way once, here.
                INSERT INTO counter (name, next)
                    SELECT 'license_serial_used', COALESCE(MAX(CAST(substr(license_serial, 9) AS INTEGER)), 0) FROM certificate;
                """)
        }
        migrator.registerMigration("2026-12-05-lookup-license") { db in
            try db.execute(sql: """
                -- The certificate a lookup found: a masked card cannot tell one holder from
                -- another, and a holder may ask who looked them up.
                ALTER TABLE lookup_event ADD COLUMN license_id TEXT;
                CREATE INDEX lookup_event_by_license ON lookup_event(license_id) WHERE license_id IS NOT NULL;
                """)
        }
        migrator.registerMigration("2026-12-05-dibao-excludes-edge") { db in
            try db.execute(sql: """
                -- A household is 低保 or 低保-edge, never both (HouseholdFact.withExclusions): a
                -- household recorded as one with the other never recorded gets the other as 否,
                -- as a new record would, so that the rules that ask for both (pinghu-2026.5) do not
                -- end an edge allowance recorded before them.
                INSERT INTO household_fact (citizen_id, fact, value, recorded_at, source, as_of)
                    SELECT citizen_id, 'dibao', 0, recorded_at, source, as_of FROM household_fact
                    WHERE fact = 'dibaoEdge' AND value = 1
                    ON CONFLICT (citizen_id, fact) DO NOTHING;
                INSERT INTO household_fact (citizen_id, fact, value, recorded_at, source, as_of)
                    SELECT citizen_id, 'dibaoEdge', 0, recorded_at, source, as_of FROM household_fact
                    WHERE fact = 'dibao' AND value = 1
                    ON CONFLICT (citizen_id, fact) DO NOTHING;
                """)
        }
        migrator.registerMigration("2026-12-05-restored-statuses") { db in
            try db.execute(sql: """
                -- After a restore from a backup (`zhucan restore-check`): the statuses a list
                -- published before the restore gave to certificates the restored registry lost
                -- (issued after the backup), published with every list from then on; and the
                -- lowest status index a new certificate may take, past every number those lost
                -- certificates may have used.
                CREATE TABLE restored_status (
                    status_index INTEGER PRIMARY KEY,
                    state TEXT NOT NULL CHECK (state IN ('suspended', 'revoked'))
                ) WITHOUT ROWID;
                -- The status list sequence numbers the verifiers have seen: the restored
                -- registry's next lists take numbers past them, never one of another content.
                INSERT INTO counter (name, next) VALUES ('status_index_floor', 0), ('status_list_sequence_floor', 0);
                -- The last restore-check, lists as (iat, seq): the registry's own last change
                -- before it (what a list given must be newer than), the newest list given to it
                -- (a later check takes only a newer one), and the newest event of the registry's
                -- own then (while it still is, the restore is the same one).
                CREATE TABLE restore_check (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    baseline_iat INTEGER NOT NULL, baseline_seq INTEGER NOT NULL,
                    applied_iat INTEGER NOT NULL, applied_seq INTEGER NOT NULL,
                    event_mark INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("2026-12-05-revoked-lost-ranges") { db in
            try db.execute(sql: """
                -- Status indexes [from_index, below) no certificate holds that are invalid in
                -- every list for good, after a restore (`zhucan restore-check`): those
                -- --revoke-lost revoked, and runs of revocations a later list carried. Kept as
                -- ranges: a list's capacity (131,072 and more) would be as many rows, read at
                -- every publication.
                CREATE TABLE revoked_range (
                    id INTEGER PRIMARY KEY,
                    from_index INTEGER NOT NULL CHECK (from_index >= 0),
                    below INTEGER NOT NULL CHECK (below >= from_index)
                );
                """)
        }
        migrator.registerMigration("2026-12-05-trust-list-sequence-floor") { db in
            // The trust list sequence numbers the verifiers have seen (`zhucan restore-check
            // --trust-list`), as `status_list_sequence_floor` for status lists.
            try db.execute(sql: "INSERT INTO counter (name, next) VALUES ('trust_list_sequence_floor', 0)")
        }
        migrator.registerMigration("2026-12-05-restore-check-log-size") { db in
            try db.execute(sql: """
                -- The log's size the restore left, before the first check's own entries: a check run
                -- again counts the entries lost from it, not from the log it grew; and whether a
                -- check of the restore revoked what it lost (--revoke-lost).
                ALTER TABLE restore_check ADD COLUMN log_size INTEGER CHECK (log_size >= 0);
                ALTER TABLE restore_check ADD COLUMN lost_revoked INTEGER NOT NULL DEFAULT 0 CHECK (lost_revoked IN (0, 1));
                """)
        }
        migrator.registerMigration("2026-12-05-restore-check-checkpoint-size") { db in
            // The checkpoint a check was given: only a check given the same one is told of the
            // same loss. A second restore, from a backup taken after a check, has lost other
            // entries, whatever else it shares with the first.
            try db.execute(sql: "ALTER TABLE restore_check ADD COLUMN checkpoint_size INTEGER CHECK (checkpoint_size >= 0)")
        }
        migrator.registerMigration("2026-12-05-enrolled-by") { db in
            // Who made each enrolment link (an API key's id, or `cli:` and the operating-system
            // user), kept on the device it enrolled: a key's holder could otherwise give their
            // own phone a holder's codes, and no one could say which key made the link. Links
            // and devices from before are NULL: unknown.
            try db.execute(sql: "ALTER TABLE holder_enrollment ADD COLUMN made_by TEXT")
            try db.execute(sql: "ALTER TABLE holder_device ADD COLUMN enrolled_by TEXT")
            try db.execute(sql: "CREATE INDEX holder_device_enrolled_by ON holder_device (enrolled_by)")
        }
        migrator.registerMigration("2026-12-05-superseded-by-index") { db in
            // A certificate's re-issue chain is walked by `superseded_by` each time a holder's
            // page opens (the devices it counts); only superseded rows are in the index, so a
            // batch of new certificates does not write to it.
            try db.execute(sql: "CREATE INDEX certificate_superseded_by ON certificate (superseded_by) WHERE superseded_by IS NOT NULL")
        }
        migrator.registerMigration("2026-12-05-list-floor") { db in
            // A verification node's floor for each list it has taken (`ListFloor`): kept apart
            // from its cache, so that an older list, still signed and unexpired, is not taken
            // back after the cache is lost.
            try db.execute(sql: """
                CREATE TABLE list_floor (
                    list TEXT PRIMARY KEY,
                    issued_at INTEGER NOT NULL,
                    sequence INTEGER NOT NULL
                )
                """)
        }
        migrator.registerMigration("2026-12-05-publication-log-index") { db in
            // The log entry that records each publication's text (its newest, for a catalogue
            // signed again), which `GET /v1/log/proof/publication` proves: looked up by row, not
            // by decoding log entries. Filled for what was published before from each entry's
            // event, whose reason reads `sequence N` (`sequence N <why>` when signed again): a
            // pass over the publications' entries by index, none of their lists decoded (a
            // registry holds one list per status change ever made).
            try db.execute(sql: "ALTER TABLE publication ADD COLUMN log_index INTEGER")
            let entries = try Row.fetchCursor(db, sql: """
                SELECT l.idx, l.kind, e.reason FROM log_entry l JOIN event e ON e.id = l.event_id
                WHERE l.license_id IS NULL AND l.kind IN ('trust-list-published', 'status-list-published', 'catalogue-published')
                """)
            var newest: [String: Int64] = [:]
            while let row = try entries.next() {
                guard let reason = row["reason"] as String?, reason.hasPrefix("sequence ") else { continue }
                let number = reason.dropFirst("sequence ".count).prefix { $0.isASCII && $0.isNumber }
                let kind = (row["kind"] as String).dropLast("-published".count)
                let index: Int64 = row["idx"]
                newest["\(kind) \(number)", default: index] = max(newest["\(kind) \(number)", default: index], index)
            }
            let update = try db.makeStatement(sql: "UPDATE publication SET log_index = ? WHERE kind = ? AND sequence = ?")
            for (key, index) in newest {
                let parts = key.split(separator: " ")
                guard parts.count == 2, let sequence = Int64(parts[1]) else { continue }
                try update.execute(arguments: [index, String(parts[0]), sequence])
            }
        }
        return migrator
    }
}
