-- Pushing a local staging table to Xero (xero_push), exactly once across interruptions: a
-- picked batch is first marked 'sending' with the exact element texts and Idempotency-Key of its
-- call (salted per push, so identical rows pushed twice are two calls) and committed; then sent;
-- then each row's result is written and committed. A run finds calls left in flight by an
-- interrupted one and sends them again first, byte for byte, so Xero answers them from its
-- idempotency record instead of acting twice. The C functions make and send the calls.

CREATE FUNCTION xero_push_check(org text, entity text, staging oid, batch_size integer)
RETURNS text
LANGUAGE c
AS 'MODULE_PATHNAME', 'xero_push_check_wrapper';
COMMENT ON FUNCTION xero_push_check(text, text, oid, integer) IS 'For xero_push: checks that it runs outside a transaction block, that the role may write to the organisation (its owner, a superuser or a role in api_write_roles), that the entity is writable, that the staging table has the four push columns and only columns of the entity''s table, and that batch_size is 1 to 100; returns the entity''s table name.';

CREATE FUNCTION xero_push_prepare(org text, entity text, rows jsonb)
RETURNS TABLE (ord integer, key text, salt text, pos integer, element text, xero_id text, parent text, error text)
LANGUAGE c
AS 'MODULE_PATHNAME', 'xero_push_prepare_wrapper';
COMMENT ON FUNCTION xero_push_prepare(text, text, jsonb) IS 'For xero_push: staging rows (a jsonb array of to_jsonb of each) made into calls, one row per input row (ord): its call''s Idempotency-Key and the salt that makes it unique to this push (identical rows pushed twice are two calls), its position in the call, its element text exactly as it will be sent, the record an update changes and a child''s parent id; or error, why the row cannot be sent.';

CREATE FUNCTION xero_push_send(org text, entity text, key text, salt text, elements text[], xero_id text, parent text)
RETURNS jsonb
LANGUAGE c
AS 'MODULE_PATHNAME', 'xero_push_send_wrapper';
COMMENT ON FUNCTION xero_push_send(text, text, text, text, text[], text, text) IS 'For xero_push: sends the call stored under key and salt (its element texts in position order; xero_id for an update, parent for a child table) after checking it is the same request, and returns one result per element: {"status": "created"|"updated", "xero_id": …} or {"status": "rejected", "errors": […]}.';

-- One push of a staging table at a time (a session advisory lock on its OID, taken without
-- waiting: a second push is skipped with a NOTICE). The lock is released when the push ends,
-- with or without an error (the exception blocks below only release it and re-raise).
CREATE PROCEDURE xero_push(org text, entity text, staging regclass, batch_size integer DEFAULT 50)
LANGUAGE plpgsql AS $$
DECLARE
    tbl text;
    id_type text;
    lock_key int;
    -- What a rejection remembers of a row: a hash of its data (every column but the push
    -- columns), so the row is sent again once the user changes it.
    hash text := 'pg_catalog.md5((pg_catalog.to_jsonb(s) - ''{xero_id,push_status,push_errors,pushed_at}''::text[])::text)';
    pick text;
    mark text;
    record_results text;
    in_flight text;
    tids tid[];
    picked jsonb;
    c record;
    res jsonb;
    n bigint;
    created bigint := 0;
    updated bigint := 0;
    rejected bigint := 0;
    batches int := 0;
    calls int := 0;
    resumed int := 0;
    resuming boolean := true;
    summary text;
    started timestamptz := pg_catalog.clock_timestamp();
BEGIN
    tbl := xero_push_check(org, entity, staging, batch_size);
    -- Ends the transaction CALL began (the batches commit on their own).
    COMMIT;
    lock_key := pg_catalog.hashtext(staging::oid::text);
    IF NOT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext('xero_fdw.push'), lock_key) THEN
        RAISE NOTICE 'xero_push: skipped %: another session is pushing it', staging
            USING HINT = 'SELECT * FROM pg_locks WHERE locktype = ''advisory'' shows who; this run does nothing.';
        RETURN;
    END IF;
    SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) INTO id_type FROM pg_catalog.pg_attribute a WHERE a.attrelid = staging AND a.attname = 'xero_id';
    -- Unsent rows (push_status NULL) and rejected rows changed since, in a stable order; rows
    -- another session has locked are left for a later run.
    pick := pg_catalog.format(
        'SELECT pg_catalog.array_agg(t.tid ORDER BY t.tid), pg_catalog.jsonb_agg(t.r ORDER BY t.tid)
         FROM (SELECT s.ctid AS tid, pg_catalog.to_jsonb(s) AS r FROM %s s
               WHERE s.push_status IS NULL OR (s.push_status = ''rejected'' AND s.push_errors->>''row_hash'' IS DISTINCT FROM %s)
               ORDER BY s.ctid LIMIT $1 FOR UPDATE OF s SKIP LOCKED) t', staging, hash);
    -- The picked rows in flight, each with what resends its call exactly; or rejected before sending.
    mark := pg_catalog.format(
        'WITH u AS (UPDATE %s s SET
             push_status = CASE WHEN p.error IS NULL THEN ''sending'' ELSE ''rejected'' END,
             push_errors = CASE WHEN p.error IS NULL
                 THEN pg_catalog.jsonb_build_object(''sending'', pg_catalog.jsonb_build_object(''key'', p.key, ''salt'', p.salt, ''position'', p.pos, ''element'', p.element, ''xero_id'', p.xero_id, ''parent'', p.parent))
                 ELSE pg_catalog.jsonb_build_object(''errors'', pg_catalog.jsonb_build_array(p.error), ''row_hash'', %s) END
           FROM xero_push_prepare($1, $2, $3) p
           WHERE s.ctid = ANY ($4) AND s.ctid = ($4)[p.ord]
           RETURNING p.error)
         SELECT pg_catalog.count(*) FILTER (WHERE error IS NOT NULL) FROM u', staging, hash);
    -- The calls in flight, grouped by key, their elements in position order.
    in_flight := pg_catalog.format(
        'SELECT s.push_errors->''sending''->>''key'' AS key,
                pg_catalog.array_agg(s.push_errors->''sending''->>''element'' ORDER BY (s.push_errors->''sending''->>''position'')::int) AS elements,
                pg_catalog.min(s.push_errors->''sending''->>''salt'') AS salt, pg_catalog.min(s.push_errors->''sending''->>''xero_id'') AS xero_id, pg_catalog.min(s.push_errors->''sending''->>''parent'') AS parent
         FROM %s s WHERE s.push_status = ''sending'' GROUP BY 1 ORDER BY 1', staging);
    -- A call's results, matched to its rows by key and position (not by ctid: a row may have
    -- been updated while in flight).
    record_results := pg_catalog.format(
        'UPDATE %s s SET push_status = r.v->>''status'',
             xero_id = CASE WHEN r.v ? ''xero_id'' THEN (r.v->>''xero_id'')::%s ELSE s.xero_id END,
             pushed_at = CASE WHEN r.v->>''status'' = ''rejected'' THEN s.pushed_at ELSE pg_catalog.clock_timestamp() END,
             push_errors = CASE WHEN r.v->>''status'' = ''rejected'' THEN pg_catalog.jsonb_build_object(''errors'', r.v->''errors'', ''row_hash'', %s) END
         FROM pg_catalog.jsonb_array_elements($1) WITH ORDINALITY AS r(v, n)
         WHERE s.push_status = ''sending'' AND s.push_errors->''sending''->>''key'' = $2
           AND (s.push_errors->''sending''->>''position'')::int = r.n - 1', staging, id_type, hash);
    LOOP
        -- First the calls an interrupted run left in flight, then each batch marked below.
        FOR c IN EXECUTE in_flight LOOP
            BEGIN
                res := xero_push_send(org, tbl, c.key, c.salt, c.elements, c.xero_id, c.parent);
                EXECUTE record_results USING res, c.key;
            EXCEPTION WHEN query_canceled OR others THEN
                PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('xero_fdw.push'), lock_key);
                RAISE;
            END;
            calls := calls + 1;
            IF resuming THEN
                resumed := resumed + 1;
            END IF;
            SELECT created + pg_catalog.count(*) FILTER (WHERE v->>'status' = 'created'),
                   updated + pg_catalog.count(*) FILTER (WHERE v->>'status' = 'updated'),
                   rejected + pg_catalog.count(*) FILTER (WHERE v->>'status' = 'rejected')
              INTO created, updated, rejected FROM pg_catalog.jsonb_array_elements(res) v;
            COMMIT;
        END LOOP;
        resuming := false;
        BEGIN
            EXECUTE pick INTO tids, picked USING batch_size;
            IF picked IS NOT NULL THEN
                EXECUTE mark INTO n USING org, tbl, picked, tids;
                rejected := rejected + n;
            END IF;
        EXCEPTION WHEN query_canceled OR others THEN
            PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('xero_fdw.push'), lock_key);
            RAISE;
        END;
        EXIT WHEN picked IS NULL;
        batches := batches + 1;
        COMMIT;
    END LOOP;
    PERFORM pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('xero_fdw.push'), lock_key);
    summary := pg_catalog.format('xero_push %s %s: %s created, %s updated, %s rejected; %s batches, %s calls%s in %s',
        org, tbl, created, updated, rejected, batches, calls,
        CASE WHEN resumed > 0 THEN pg_catalog.format(' (%s resumed from an interrupted run)', resumed) ELSE '' END,
        pg_catalog.clock_timestamp() - started);
    IF rejected > 0 THEN
        RAISE NOTICE '%', summary
            USING HINT = pg_catalog.format('Xero''s reasons: SELECT push_errors->''errors'' FROM %s WHERE push_status = ''rejected''; fix those rows and CALL xero_push again (a rejected row is sent again once changed).', staging);
    ELSE
        RAISE NOTICE '%', summary;
    END IF;
END
$$;
COMMENT ON PROCEDURE xero_push(text, text, regclass, integer) IS 'Pushes the rows of a local staging table (columns of the entity''s foreign table, e.g. invoices, plus xero_id, push_status text, push_errors jsonb, pushed_at timestamptz) to Xero: rows with push_status NULL are sent, creates in batches of batch_size (1–100), rows with xero_id set as one update each; each row gets created/updated with xero_id and pushed_at, or rejected with Xero''s messages in push_errors. A rejected row is sent again once its data changes (or push_status is set to NULL). Each batch is committed before the next; a push interrupted at any point and run again sends nothing twice: calls in flight (push_status sending) are resent first with their original Idempotency-Key. Needs the organisation''s write grant (owner or api_write_roles). CALL it outside a transaction block.';
