-- Incremental sync: local tables kept in step with Xero (xero_sync), what each sync of an
-- organisation's entity remembers (xero_fdw_private.sync_state) and what users see of it
-- (xero_sync_status). The per-entity work is the C function xero_sync_entity.

CREATE TABLE xero_fdw_private.sync_state (
    server_name     text NOT NULL,
    into_schema     text NOT NULL,
    entity          text NOT NULL,
    tenant_id       uuid,
    mode            text,
    watermark       timestamptz,
    next_offset     bigint,
    last_success_at timestamptz,
    last_error_at   timestamptz,
    last_error      text,
    rows_inserted   bigint NOT NULL DEFAULT 0,
    rows_updated    bigint NOT NULL DEFAULT 0,
    rows_deleted    bigint NOT NULL DEFAULT 0,
    calls           bigint NOT NULL DEFAULT 0,
    duration        interval,
    PRIMARY KEY (server_name, into_schema, entity)
);
REVOKE ALL ON xero_fdw_private.sync_state FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('xero_fdw_private.sync_state', '');
COMMENT ON TABLE xero_fdw_private.sync_state IS 'Per organisation (foreign server), target schema and entity: the watermark (greatest UpdatedDateUTC seen) or offset (greatest JournalNumber) of the last successful xero_sync, written in the same transaction as the rows it covers; the last error; counts, calls and duration of the last successful run.';

CREATE VIEW xero_sync_status WITH (security_barrier) AS
SELECT s.server_name, s.into_schema, s.entity, s.tenant_id, s.mode, s.last_success_at, s.last_error_at, s.last_error,
       s.watermark, s.next_offset, s.rows_inserted, s.rows_updated, s.rows_deleted, s.calls, s.duration
FROM xero_fdw_private.sync_state s
WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_foreign_server f JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = f.srvfdw
              WHERE w.fdwname = 'xero_fdw' AND f.srvname = s.server_name AND pg_catalog.has_server_privilege(f.oid, 'USAGE'));
GRANT SELECT ON xero_sync_status TO PUBLIC;
COMMENT ON VIEW xero_sync_status IS 'xero_sync per organisation, target schema and entity, for the organisations the current user has USAGE on: how it is kept (incremental, append, full), last success and last error, watermark or offset, rows inserted, updated and deleted, calls made and duration of the last successful run.';

-- Whether an error is Xero's spent day quota (53400 with "day rate limit"), and if so the words
-- xero_sync records: that the day limit was reached and when to run again — now plus Xero's
-- Retry-After when its 429 gave one, else (the quota known spent from an earlier answer's
-- X-DayLimit-Remaining: 0, N s ago) 24 hours after that answer, the latest the quota resets.
CREATE FUNCTION xero_sync_day_limit(state text, message text, detail text) RETURNS text
LANGUAGE sql VOLATILE AS $$  -- the clock at the error, not the entity's transaction start
SELECT CASE WHEN state = '53400' AND message LIKE '%day rate limit%' THEN
    'day limit reached: Xero''s daily API quota for this organisation is spent; run xero_sync again after '
    || pg_catalog.to_char(resume, 'YYYY-MM-DD HH24:MI:SS TZ')
    || CASE WHEN retry IS NOT NULL THEN ' (Retry-After: ' || retry || ' s)' ELSE ' (the quota resets within 24 hours of Xero''s last answer)' END
END
FROM (SELECT retry, CASE WHEN retry IS NOT NULL THEN pg_catalog.clock_timestamp() + pg_catalog.make_interval(secs => retry)
                         ELSE pg_catalog.clock_timestamp() - pg_catalog.make_interval(secs => coalesce(ago, 0)) + interval '24 hours' END AS resume
      FROM (SELECT (pg_catalog.substring(detail, 'Retry-After: (\d+) s'))::bigint AS retry,
                   (pg_catalog.substring(detail, 'last answer, (\d+) s ago'))::bigint AS ago) d) r
$$;
COMMENT ON FUNCTION xero_sync_day_limit(text, text, text) IS 'For xero_sync: NULL unless the error (SQLSTATE, message, detail) is Xero''s spent day quota; then "day limit reached: … run xero_sync again after <time>", the time from Xero''s Retry-After or 24 hours after the answer that said X-DayLimit-Remaining: 0.';

-- One sync of an organisation at a time (a session advisory lock on its name, taken without
-- waiting: a second sync is skipped with a NOTICE, which suits a scheduler). Each entity runs in
-- its own transaction, committed at once; an entity that fails is rolled back (its data and
-- watermark stay as they were), its error is kept in xero_sync_status, and the sync goes on with
-- the next entity; at the end a WARNING counts the failures.
CREATE PROCEDURE xero_sync(org text, into_schema text, entities text[] DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
    names text[];
    e text;
    r record;
    failed int := 0;
    message text;
    state text;
    detail text;
    started timestamptz := clock_timestamp();
    day_limit text;      -- set once Xero's day quota is spent: why, and when to run again
    skipped int := 0;
BEGIN
    -- Ends any transaction CALL began; fails at once (before the lock) inside a transaction block,
    -- where the per-entity COMMITs could not work.
    COMMIT;
    names := ARRAY(SELECT xero_sync_entities(org, into_schema, entities));
    IF NOT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('xero_fdw.sync'), pg_catalog.hashtext(org)) THEN
        RAISE NOTICE 'xero_sync: skipped organisation "%": another session is syncing it', org
            USING HINT = 'SELECT * FROM pg_locks WHERE locktype = ''advisory'' shows who; this run does nothing.';
        RETURN;
    END IF;
    FOREACH e IN ARRAY names LOOP
        -- Xero's day quota is per organisation: once spent, every later entity would fail the same
        -- way (and each attempt would spend nothing but time), so they are not attempted.
        IF day_limit IS NOT NULL THEN
            skipped := skipped + 1;
            PERFORM xero_sync_record_failure(org, into_schema, e, 'not attempted: ' || day_limit);
            CONTINUE;
        END IF;
        BEGIN
            SELECT * INTO r FROM xero_sync_entity(org, into_schema, e);
            RAISE NOTICE 'xero_sync %: % (%): % inserted, % updated, % deleted, % calls',
                org, e, r.mode, r.inserted, r.updated, r.deleted, r.calls;
        EXCEPTION
            WHEN query_canceled THEN
                PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('xero_fdw.sync'), pg_catalog.hashtext(org));
                RAISE;
            WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL;
                failed := failed + 1;
                day_limit := xero_sync_day_limit(state, message, detail);
                IF day_limit IS NOT NULL THEN
                    message := day_limit || ' (' || message || ')';
                END IF;
                PERFORM xero_sync_record_failure(org, into_schema, e, state || ': ' || message);
                RAISE NOTICE 'xero_sync %: % failed (%): %; its previous data and watermark are kept', org, e, state, message;
        END;
        COMMIT;
    END LOOP;
    PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('xero_fdw.sync'), pg_catalog.hashtext(org));
    IF day_limit IS NOT NULL THEN
        RAISE WARNING 'xero_sync %: stopped: %; % of % entities failed, % not attempted', org, day_limit, failed, cardinality(names), skipped
            USING HINT = 'Their previous data and watermarks are kept; the next run picks them up. SELECT entity, last_error FROM xero_sync_status WHERE server_name = ' || quote_literal(org) || ';';
    ELSIF failed > 0 THEN
        RAISE WARNING 'xero_sync %: % of % entities failed', org, failed, cardinality(names)
            USING HINT = 'SELECT entity, last_error FROM xero_sync_status WHERE last_error_at > last_success_at OR last_success_at IS NULL;';
    ELSE
        RAISE NOTICE 'xero_sync %: % entities in %', org, cardinality(names), clock_timestamp() - started;
    END IF;
END
$$;
COMMENT ON PROCEDURE xero_sync(text, text, text[]) IS 'Keeps tables in into_schema (one per entity: invoices, invoice_line_items, …; every collection and child collection when entities is NULL) in step with the organisation: created and loaded on the first run; then only changes (If-Modified-Since a watermark, Journals by offset, the rest re-read with vanished rows deleted). Each entity is committed on its own with its watermark; a failed entity keeps its previous data and is retried next run. A second sync of the same organisation is skipped with a NOTICE. CALL it outside a transaction block.';

COMMENT ON FUNCTION xero_sync_entity(text, text, text) IS 'One entity''s sync for xero_sync, in the caller''s transaction: creates the table if missing, reads what changed since the stored watermark (or offset), upserts by key, deletes what vanished, stores the new watermark; returns the counts.';
COMMENT ON FUNCTION xero_sync_entities(text, text, text[]) IS 'The tables xero_sync keeps for entities (every collection and child collection when NULL), after checking USAGE on the organisation and CREATE on the schema.';
COMMENT ON FUNCTION xero_sync_record_failure(text, text, text, text) IS 'Keeps the error of a failed entity sync in xero_sync_status (called by xero_sync after rolling the entity back).';
