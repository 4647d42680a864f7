-- xero_fdw 0.2.0 → 0.3.0
--
-- complain if this script is sourced in psql rather than run by ALTER EXTENSION
\echo Use "ALTER EXTENSION xero_fdw UPDATE TO '0.3.0'" to load this file. \quit
--
-- 0.3.0 adds writes: INSERT, UPDATE and DELETE on the foreign tables (the handler in the module
-- gains the modify callbacks; nothing in SQL changes for them) and CALL xero_push(…), which
-- pushes a staging table's rows in batches and keeps each row's result. xero_tracking_options
-- now returns the option's own name (`name`) beside its category's (`tracking_category_name`),
-- so it is dropped and created anew (re-import a tracking_options foreign table: its `name`
-- column now holds the option's name). The other functions are replaced in place; tables,
-- tokens, keys and views are unchanged. tests/tests/upgrade.rs checks that an updated database
-- has exactly the SQL surface of a fresh 0.3.0 install and keeps its organisations.

DROP FUNCTION xero_tracking_options(text, text, text, boolean);

COMMENT ON FUNCTION xero_fdw_handler() IS 'The callbacks of the xero_fdw foreign-data wrapper: foreign-table scans with pushdown to Xero, EXPLAIN, IMPORT FOREIGN SCHEMA accounting, and INSERT, UPDATE and DELETE sent to Xero (batched, with an Idempotency-Key, per-row errors).';
COMMENT ON FUNCTION xero_fdw_validator(text[], oid) IS 'Checks the options of xero_fdw servers (auth, tenant_id, api_url, identity_url, login_url, token_set, scopes, proxy, api_write_roles, batch_size), foreign tables (entity, report, rows, batch_size) and user mappings (client_id, client_secret, consumer_key, consumer_secret).';

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

-- The generated functions of this release (kept equal to sql/generated_functions.sql by a test):
-- @generated from the entity registry (crates/xero-core/src/entities) by xero_core::sql; do not edit.
-- Set-returning functions of every entity; a test keeps this file up to date.

CREATE OR REPLACE FUNCTION xero_invoices(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, statuses text[] DEFAULT NULL, ids uuid[] DEFAULT NULL, invoice_numbers text[] DEFAULT NULL, contact_ids uuid[] DEFAULT NULL, include_archived boolean DEFAULT NULL, created_by_my_app boolean DEFAULT NULL, search_term text DEFAULT NULL, unit_dp integer DEFAULT NULL, summary_only boolean DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "invoice_id" uuid,
    "type" text,
    "contact_id" uuid,
    "contact_name" text,
    "contact_number" text,
    "line_items" jsonb,
    "date" date,
    "due_date" date,
    "line_amount_types" text,
    "invoice_number" text,
    "reference" text,
    "branding_theme_id" uuid,
    "url" text,
    "currency_code" text,
    "currency_rate" numeric,
    "status" text,
    "sent_to_contact" boolean,
    "expected_payment_date" date,
    "planned_payment_date" date,
    "cis_deduction" numeric,
    "cis_rate" numeric,
    "sub_total" numeric,
    "total_tax" numeric,
    "total" numeric,
    "total_discount" numeric,
    "repeating_invoice_id" uuid,
    "has_attachments" boolean,
    "is_discounted" boolean,
    "payments" jsonb,
    "prepayments" jsonb,
    "overpayments" jsonb,
    "amount_due" numeric,
    "amount_paid" numeric,
    "fully_paid_on_date" date,
    "amount_credited" numeric,
    "updated_date_utc" timestamptz,
    "updated_date_utc_string" text,
    "credit_notes" jsonb,
    "attachments" jsonb,
    "has_errors" boolean,
    "invoice_addresses" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_invoices(text, timestamptz, text, text, text[], uuid[], text[], uuid[], boolean, boolean, text, integer, boolean, integer) IS 'Sales invoices (ACCREC) and bills (ACCPAY), one row per invoice; line items as jsonb. Rows from GET Invoices of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); statuses (only these statuses, e.g. `{AUTHORISED,PAID}`); ids (only these records (keep to about 50 a call: Xero''s URL length limit)); invoice_numbers (only these invoice numbers); contact_ids (only records of these contacts); include_archived (also return archived records); created_by_my_app (only records created by this app); search_term (Xero''s case-insensitive search over the main text fields); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); summary_only (Xero''s lightweight listing without line items and other heavy fields (faster, fewer columns filled)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_invoice_line_items(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, statuses text[] DEFAULT NULL, ids uuid[] DEFAULT NULL, invoice_numbers text[] DEFAULT NULL, contact_ids uuid[] DEFAULT NULL, include_archived boolean DEFAULT NULL, created_by_my_app boolean DEFAULT NULL, search_term text DEFAULT NULL, unit_dp integer DEFAULT NULL, summary_only boolean DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "invoice_id" uuid,
    "invoice_number" text,
    "line_number" integer,
    "line_item_id" uuid,
    "description" text,
    "quantity" numeric,
    "unit_amount" numeric,
    "item_code" text,
    "account_code" text,
    "account_id" uuid,
    "tax_type" text,
    "tax_amount" numeric,
    "item_id" uuid,
    "item_name" text,
    "line_amount" numeric,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "discount_rate" numeric,
    "discount_amount" numeric,
    "repeating_invoice_id" uuid,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_invoice_line_items(text, timestamptz, text, text, text[], uuid[], text[], uuid[], boolean, boolean, text, integer, boolean, integer) IS 'One row per invoice line item, with the invoice it belongs to. Rows from GET Invoices of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); statuses (only these statuses, e.g. `{AUTHORISED,PAID}`); ids (only these records (keep to about 50 a call: Xero''s URL length limit)); invoice_numbers (only these invoice numbers); contact_ids (only records of these contacts); include_archived (also return archived records); created_by_my_app (only records created by this app); search_term (Xero''s case-insensitive search over the main text fields); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); summary_only (Xero''s lightweight listing without line items and other heavy fields (faster, fewer columns filled)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_contacts(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, ids uuid[] DEFAULT NULL, include_archived boolean DEFAULT NULL, search_term text DEFAULT NULL, summary_only boolean DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "contact_id" uuid,
    "merged_to_contact_id" uuid,
    "contact_number" text,
    "account_number" text,
    "contact_status" text,
    "name" text,
    "first_name" text,
    "last_name" text,
    "company_number" text,
    "email_address" text,
    "contact_persons" jsonb,
    "bank_account_details" text,
    "tax_number" text,
    "tax_number_type" text,
    "accounts_receivable_tax_type" text,
    "accounts_payable_tax_type" text,
    "addresses" jsonb,
    "phones" jsonb,
    "is_supplier" boolean,
    "is_customer" boolean,
    "sales_default_line_amount_type" text,
    "purchases_default_line_amount_type" text,
    "default_currency" text,
    "xero_network_key" text,
    "sales_default_account_code" text,
    "purchases_default_account_code" text,
    "sales_tracking_categories" jsonb,
    "purchases_tracking_categories" jsonb,
    "tracking_category_name" text,
    "tracking_category_option" text,
    "payment_terms" jsonb,
    "updated_date_utc" timestamptz,
    "contact_groups" jsonb,
    "website" text,
    "branding_theme" jsonb,
    "batch_payments" jsonb,
    "discount" numeric,
    "balances" jsonb,
    "attachments" jsonb,
    "has_attachments" boolean,
    "has_validation_errors" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_contacts(text, timestamptz, text, text, uuid[], boolean, text, boolean, integer) IS 'Customers and suppliers. Rows from GET Contacts of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); ids (only these records (keep to about 50 a call: Xero''s URL length limit)); include_archived (also return archived records); search_term (Xero''s case-insensitive search over the main text fields); summary_only (Xero''s lightweight listing without line items and other heavy fields (faster, fewer columns filled)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_contact_persons(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, ids uuid[] DEFAULT NULL, include_archived boolean DEFAULT NULL, search_term text DEFAULT NULL, summary_only boolean DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "contact_id" uuid,
    "name" text,
    "position" integer,
    "first_name" text,
    "last_name" text,
    "email_address" text,
    "include_in_emails" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_contact_persons(text, timestamptz, text, text, uuid[], boolean, text, boolean, integer) IS 'One row per contact person of a contact (besides the primary person). Rows from GET Contacts of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); ids (only these records (keep to about 50 a call: Xero''s URL length limit)); include_archived (also return archived records); search_term (Xero''s case-insensitive search over the main text fields); summary_only (Xero''s lightweight listing without line items and other heavy fields (faster, fewer columns filled)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_contact_addresses(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, ids uuid[] DEFAULT NULL, include_archived boolean DEFAULT NULL, search_term text DEFAULT NULL, summary_only boolean DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "contact_id" uuid,
    "name" text,
    "position" integer,
    "address_type" text,
    "address_line1" text,
    "address_line2" text,
    "address_line3" text,
    "address_line4" text,
    "city" text,
    "region" text,
    "postal_code" text,
    "country" text,
    "attention_to" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_contact_addresses(text, timestamptz, text, text, uuid[], boolean, text, boolean, integer) IS 'One row per address of a contact (postal and street). Rows from GET Contacts of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); ids (only these records (keep to about 50 a call: Xero''s URL length limit)); include_archived (also return archived records); search_term (Xero''s case-insensitive search over the main text fields); summary_only (Xero''s lightweight listing without line items and other heavy fields (faster, fewer columns filled)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_accounts(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "account_id" uuid,
    "code" text,
    "name" text,
    "type" text,
    "bank_account_number" text,
    "status" text,
    "description" text,
    "bank_account_type" text,
    "currency_code" text,
    "tax_type" text,
    "enable_payments_to_account" boolean,
    "show_in_expense_claims" boolean,
    "class" text,
    "system_account" text,
    "reporting_code" text,
    "reporting_code_name" text,
    "has_attachments" boolean,
    "updated_date_utc" timestamptz,
    "add_to_watchlist" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_accounts(text, timestamptz, text, text) IS 'The chart of accounts. Rows from GET Accounts of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_organisation(org text)
RETURNS TABLE (
    "organisation_id" uuid,
    "api_key" text,
    "name" text,
    "legal_name" text,
    "pays_tax" boolean,
    "version" text,
    "organisation_type" text,
    "base_currency" text,
    "country_code" text,
    "is_demo_company" boolean,
    "organisation_status" text,
    "registration_number" text,
    "employer_identification_number" text,
    "tax_number" text,
    "financial_year_end_day" integer,
    "financial_year_end_month" integer,
    "sales_tax_basis" text,
    "sales_tax_period" text,
    "default_sales_tax" text,
    "default_purchases_tax" text,
    "period_lock_date" date,
    "end_of_year_lock_date" date,
    "created_date_utc" timestamptz,
    "timezone" text,
    "organisation_entity_type" text,
    "short_code" text,
    "class" text,
    "edition" text,
    "line_of_business" text,
    "addresses" jsonb,
    "phones" jsonb,
    "external_links" jsonb,
    "payment_terms" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_organisation(text) IS 'The organisation (tenant) itself: one row. Rows from GET Organisation of the organisation (foreign server) named by org.';

CREATE OR REPLACE FUNCTION xero_bank_transactions(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "bank_transaction_id" uuid,
    "type" text,
    "contact_id" uuid,
    "contact_name" text,
    "contact_number" text,
    "line_items" jsonb,
    "bank_account" jsonb,
    "is_reconciled" boolean,
    "date" date,
    "reference" text,
    "currency_code" text,
    "currency_rate" numeric,
    "url" text,
    "status" text,
    "line_amount_types" text,
    "sub_total" numeric,
    "total_tax" numeric,
    "total" numeric,
    "prepayment_id" uuid,
    "overpayment_id" uuid,
    "updated_date_utc" timestamptz,
    "has_attachments" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_bank_transactions(text, timestamptz, text, text, integer, integer) IS 'Spend and receive money transactions, one row per transaction; line items as jsonb. Rows from GET BankTransactions of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_bank_transaction_line_items(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "bank_transaction_id" uuid,
    "reference" text,
    "line_number" integer,
    "line_item_id" uuid,
    "description" text,
    "quantity" numeric,
    "unit_amount" numeric,
    "item_code" text,
    "account_code" text,
    "account_id" uuid,
    "tax_type" text,
    "tax_amount" numeric,
    "item_id" uuid,
    "item_name" text,
    "line_amount" numeric,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "discount_rate" numeric,
    "discount_amount" numeric,
    "repeating_invoice_id" uuid,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_bank_transaction_line_items(text, timestamptz, text, text, integer, integer) IS 'One row per bank transaction line item, with the transaction it belongs to. Rows from GET BankTransactions of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_bank_transfers(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, include_deleted boolean DEFAULT NULL)
RETURNS TABLE (
    "bank_transfer_id" uuid,
    "from_bank_account" jsonb,
    "to_bank_account" jsonb,
    "amount" numeric,
    "date" date,
    "currency_rate" numeric,
    "from_bank_transaction_id" uuid,
    "to_bank_transaction_id" uuid,
    "from_is_reconciled" boolean,
    "to_is_reconciled" boolean,
    "reference" text,
    "has_attachments" boolean,
    "created_date_utc" timestamptz,
    "status" text,
    "from_tracking" jsonb,
    "to_tracking" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_bank_transfers(text, timestamptz, text, text, boolean) IS 'Transfers between two bank accounts. Rows from GET BankTransfers of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); include_deleted (e.g. includeDeleted=true - Bank transfers with a status of DELETED will be included in the response).';

CREATE OR REPLACE FUNCTION xero_batch_payments(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "batch_payment_id" uuid,
    "account" jsonb,
    "reference" text,
    "particulars" text,
    "code" text,
    "details" text,
    "narrative" text,
    "date_string" text,
    "date" date,
    "amount" numeric,
    "payments" jsonb,
    "type" text,
    "status" text,
    "total_amount" numeric,
    "updated_date_utc" timestamptz,
    "is_reconciled" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_batch_payments(text, timestamptz, text, text) IS 'Batch payments (many invoices paid by one bank transaction). Rows from GET BatchPayments of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_batch_payment_payments(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "batch_payment_id" uuid,
    "reference" text,
    "position" integer,
    "payment_id" uuid,
    "invoice" jsonb,
    "credit_note" jsonb,
    "prepayment" jsonb,
    "overpayment" jsonb,
    "invoice_number" text,
    "credit_note_number" text,
    "batch_payment" jsonb,
    "account" jsonb,
    "code" text,
    "date" date,
    "currency_rate" numeric,
    "amount" numeric,
    "bank_amount" numeric,
    "is_reconciled" boolean,
    "status" text,
    "payment_type" text,
    "updated_date_utc" timestamptz,
    "updated_date_utc_string" text,
    "bank_account_number" text,
    "particulars" text,
    "details" text,
    "has_account" boolean,
    "has_validation_errors" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_batch_payment_payments(text, timestamptz, text, text) IS 'One row per payment of a batch payment (each settles one invoice). Rows from GET BatchPayments of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_branding_themes(org text)
RETURNS TABLE (
    "branding_theme_id" uuid,
    "name" text,
    "logo_url" text,
    "type" text,
    "sort_order" integer,
    "created_date_utc" timestamptz
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_branding_themes(text) IS 'The branding themes documents are printed with. Rows from GET BrandingThemes of the organisation (foreign server) named by org.';

CREATE OR REPLACE FUNCTION xero_budgets(org text, ids uuid[] DEFAULT NULL, date_to date DEFAULT NULL, date_from date DEFAULT NULL)
RETURNS TABLE (
    "budget_id" uuid,
    "type" text,
    "description" text,
    "updated_date_utc" timestamptz,
    "budget_lines" jsonb,
    "tracking" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_budgets(text, uuid[], date, date) IS 'Budgets (the overall budget and tracking budgets). Rows from GET Budgets of the organisation (foreign server) named by org. Filters: ids (only these records (keep to about 50 a call: Xero''s URL length limit)); date_to (filter by start date); date_from (filter by end date).';

CREATE OR REPLACE FUNCTION xero_budget_lines(org text, ids uuid[] DEFAULT NULL, date_to date DEFAULT NULL, date_from date DEFAULT NULL)
RETURNS TABLE (
    "budget_id" uuid,
    "description" text,
    "position" integer,
    "account_id" uuid,
    "account_code" text,
    "budget_balances" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_budget_lines(text, uuid[], date, date) IS 'One row per budget line (an account''s budgeted amounts by period). Rows from GET Budgets of the organisation (foreign server) named by org. Filters: ids (only these records (keep to about 50 a call: Xero''s URL length limit)); date_to (filter by start date); date_from (filter by end date).';

CREATE OR REPLACE FUNCTION xero_contact_groups(org text, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "contact_group_id" uuid,
    "name" text,
    "status" text,
    "contacts" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_contact_groups(text, text, text) IS 'Contact groups. Rows from GET ContactGroups of the organisation (foreign server) named by org. Filters: where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_credit_notes(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "credit_note_id" uuid,
    "type" text,
    "contact_id" uuid,
    "contact_name" text,
    "contact_number" text,
    "date" date,
    "due_date" date,
    "status" text,
    "line_amount_types" text,
    "line_items" jsonb,
    "sub_total" numeric,
    "total_tax" numeric,
    "total" numeric,
    "cis_deduction" numeric,
    "cis_rate" numeric,
    "updated_date_utc" timestamptz,
    "updated_date_utc_string" text,
    "currency_code" text,
    "fully_paid_on_date" date,
    "credit_note_number" text,
    "reference" text,
    "sent_to_contact" boolean,
    "currency_rate" numeric,
    "remaining_credit" numeric,
    "allocations" jsonb,
    "applied_amount" numeric,
    "payments" jsonb,
    "branding_theme_id" uuid,
    "has_attachments" boolean,
    "has_errors" boolean,
    "invoice_addresses" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_credit_notes(text, timestamptz, text, text, integer, integer) IS 'Credit notes, one row per credit note; line items and allocations as jsonb. Rows from GET CreditNotes of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_credit_note_line_items(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "credit_note_id" uuid,
    "credit_note_number" text,
    "line_number" integer,
    "line_item_id" uuid,
    "description" text,
    "quantity" numeric,
    "unit_amount" numeric,
    "item_code" text,
    "account_code" text,
    "account_id" uuid,
    "tax_type" text,
    "tax_amount" numeric,
    "item_id" uuid,
    "item_name" text,
    "line_amount" numeric,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "discount_rate" numeric,
    "discount_amount" numeric,
    "repeating_invoice_id" uuid,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_credit_note_line_items(text, timestamptz, text, text, integer, integer) IS 'One row per credit note line item, with the credit note it belongs to. Rows from GET CreditNotes of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_credit_note_allocations(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "credit_note_id" uuid,
    "credit_note_number" text,
    "position" integer,
    "allocation_id" uuid,
    "invoice" jsonb,
    "overpayment" jsonb,
    "prepayment" jsonb,
    "credit_note" jsonb,
    "amount" numeric,
    "date" date,
    "is_deleted" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_credit_note_allocations(text, timestamptz, text, text, integer, integer) IS 'One row per allocation of a credit note to an invoice. Rows from GET CreditNotes of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_currencies(org text, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "code" text,
    "description" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_currencies(text, text, text) IS 'The currencies the organisation uses. Rows from GET Currencies of the organisation (foreign server) named by org. Filters: where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_expense_claims(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "expense_claim_id" uuid,
    "status" text,
    "payments" jsonb,
    "user" jsonb,
    "receipts" jsonb,
    "updated_date_utc" timestamptz,
    "total" numeric,
    "amount_due" numeric,
    "amount_paid" numeric,
    "payment_due_date" date,
    "reporting_date" date,
    "receipt_id" uuid
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_expense_claims(text, timestamptz, text, text) IS 'Expense claims (the legacy expense claims of the accounting API). Rows from GET ExpenseClaims of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_items(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL)
RETURNS TABLE (
    "item_id" uuid,
    "code" text,
    "inventory_asset_account_code" text,
    "name" text,
    "is_sold" boolean,
    "is_purchased" boolean,
    "description" text,
    "purchase_description" text,
    "purchase_details" jsonb,
    "sales_details" jsonb,
    "is_tracked_as_inventory" boolean,
    "total_cost_pool" numeric,
    "quantity_on_hand" numeric,
    "updated_date_utc" timestamptz
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_items(text, timestamptz, text, text, integer) IS 'Products and services the organisation buys or sells. Rows from GET Items of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)).';

CREATE OR REPLACE FUNCTION xero_journals(org text, modified_since timestamptz DEFAULT NULL, payments_only boolean DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "journal_id" uuid,
    "journal_date" date,
    "journal_number" integer,
    "created_date_utc" timestamptz,
    "reference" text,
    "source_id" uuid,
    "source_type" text,
    "journal_lines" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_journals(text, timestamptz, boolean, integer) IS 'The general ledger journals behind every report, in JournalNumber order, read by offset. Rows from GET Journals of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); payments_only (filter to retrieve journals on a cash basis); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_journal_lines(org text, modified_since timestamptz DEFAULT NULL, payments_only boolean DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "journal_id" uuid,
    "journal_number" integer,
    "journal_date" date,
    "source_type" text,
    "source_id" uuid,
    "line_number" integer,
    "journal_line_id" uuid,
    "account_id" uuid,
    "account_code" text,
    "account_type" text,
    "account_name" text,
    "description" text,
    "net_amount" numeric,
    "gross_amount" numeric,
    "tax_amount" numeric,
    "tax_type" text,
    "tax_name" text,
    "tracking_categories" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_journal_lines(text, timestamptz, boolean, integer) IS 'One row per journal line: the general ledger, account by account, read by offset. Rows from GET Journals of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); payments_only (filter to retrieve journals on a cash basis); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_linked_transactions(org text, linked_transaction_id_is uuid DEFAULT NULL, source_transaction_id_is uuid DEFAULT NULL, contact_id_is uuid DEFAULT NULL, status_is text DEFAULT NULL, target_transaction_id_is uuid DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "linked_transaction_id" uuid,
    "source_transaction_id" uuid,
    "source_line_item_id" uuid,
    "contact_id" uuid,
    "target_transaction_id" uuid,
    "target_line_item_id" uuid,
    "status" text,
    "type" text,
    "updated_date_utc" timestamptz,
    "source_transaction_type_code" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_linked_transactions(text, uuid, uuid, uuid, text, uuid, integer) IS 'Billable expenses linked to sales invoices. Rows from GET LinkedTransactions of the organisation (foreign server) named by org. Filters: linked_transaction_id_is (the Xero identifier for an Linked Transaction); source_transaction_id_is (filter by the SourceTransactionID); contact_id_is (filter by the ContactID); status_is (filter by the combination of ContactID and Status); target_transaction_id_is (filter by the TargetTransactionID); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_manual_journals(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "manual_journal_id" uuid,
    "narration" text,
    "journal_lines" jsonb,
    "date" date,
    "line_amount_types" text,
    "status" text,
    "url" text,
    "show_on_cash_basis_reports" boolean,
    "has_attachments" boolean,
    "updated_date_utc" timestamptz,
    "attachments" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_manual_journals(text, timestamptz, text, text, integer) IS 'Manual journals; journal lines as jsonb. Rows from GET ManualJournals of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_manual_journal_lines(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "manual_journal_id" uuid,
    "narration" text,
    "line_number" integer,
    "line_amount" numeric,
    "account_code" text,
    "account_id" uuid,
    "description" text,
    "tax_type" text,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "tax_amount" numeric,
    "is_blank" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_manual_journal_lines(text, timestamptz, text, text, integer) IS 'One row per manual journal line, with the manual journal it belongs to. Rows from GET ManualJournals of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_overpayments(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL, references_list text[] DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "overpayment_id" uuid,
    "type" text,
    "contact_id" uuid,
    "contact_name" text,
    "contact_number" text,
    "date" date,
    "status" text,
    "line_amount_types" text,
    "line_items" jsonb,
    "sub_total" numeric,
    "total_tax" numeric,
    "total" numeric,
    "updated_date_utc" timestamptz,
    "updated_date_utc_string" text,
    "currency_code" text,
    "currency_rate" numeric,
    "remaining_credit" numeric,
    "allocations" jsonb,
    "applied_amount" numeric,
    "payments" jsonb,
    "has_attachments" boolean,
    "reference" text,
    "attachments" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_overpayments(text, timestamptz, text, text, integer, text[], integer) IS 'Overpayments, with their allocations as jsonb. Rows from GET Overpayments of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); references_list (filter by a comma-separated list of References); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_overpayment_line_items(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL, references_list text[] DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "overpayment_id" uuid,
    "reference" text,
    "line_number" integer,
    "line_item_id" uuid,
    "description" text,
    "quantity" numeric,
    "unit_amount" numeric,
    "item_code" text,
    "account_code" text,
    "account_id" uuid,
    "tax_type" text,
    "tax_amount" numeric,
    "item_id" uuid,
    "item_name" text,
    "line_amount" numeric,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "discount_rate" numeric,
    "discount_amount" numeric,
    "repeating_invoice_id" uuid,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_overpayment_line_items(text, timestamptz, text, text, integer, text[], integer) IS 'One row per overpayment line item, with the overpayment it belongs to. Rows from GET Overpayments of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); references_list (filter by a comma-separated list of References); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_overpayment_allocations(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL, references_list text[] DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "overpayment_id" uuid,
    "reference" text,
    "position" integer,
    "allocation_id" uuid,
    "invoice" jsonb,
    "overpayment" jsonb,
    "prepayment" jsonb,
    "credit_note" jsonb,
    "amount" numeric,
    "date" date,
    "is_deleted" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_overpayment_allocations(text, timestamptz, text, text, integer, text[], integer) IS 'One row per allocation of an overpayment to an invoice. Rows from GET Overpayments of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); references_list (filter by a comma-separated list of References); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_payment_services(org text)
RETURNS TABLE (
    "payment_service_id" uuid,
    "payment_service_name" text,
    "payment_service_url" text,
    "pay_now_text" text,
    "payment_service_type" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_payment_services(text) IS 'Payment services (links on online invoices). Rows from GET PaymentServices of the organisation (foreign server) named by org.';

CREATE OR REPLACE FUNCTION xero_payments(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "payment_id" uuid,
    "invoice" jsonb,
    "credit_note" jsonb,
    "prepayment" jsonb,
    "overpayment" jsonb,
    "invoice_number" text,
    "credit_note_number" text,
    "batch_payment" jsonb,
    "account" jsonb,
    "code" text,
    "date" date,
    "currency_rate" numeric,
    "amount" numeric,
    "bank_amount" numeric,
    "reference" text,
    "is_reconciled" boolean,
    "status" text,
    "payment_type" text,
    "updated_date_utc" timestamptz,
    "updated_date_utc_string" text,
    "batch_payment_id" uuid,
    "bank_account_number" text,
    "particulars" text,
    "details" text,
    "has_account" boolean,
    "has_validation_errors" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_payments(text, timestamptz, text, text, integer) IS 'Payments against invoices, credit notes, prepayments and overpayments. Rows from GET Payments of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_prepayments(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, invoice_numbers text[] DEFAULT NULL, unit_dp integer DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "prepayment_id" uuid,
    "type" text,
    "contact_id" uuid,
    "contact_name" text,
    "contact_number" text,
    "date" date,
    "status" text,
    "line_amount_types" text,
    "line_items" jsonb,
    "sub_total" numeric,
    "total_tax" numeric,
    "total" numeric,
    "reference" text,
    "invoice_number" text,
    "updated_date_utc" timestamptz,
    "updated_date_utc_string" text,
    "currency_code" text,
    "branding_theme_id" uuid,
    "currency_rate" numeric,
    "remaining_credit" numeric,
    "allocations" jsonb,
    "payments" jsonb,
    "applied_amount" numeric,
    "has_attachments" boolean,
    "attachments" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_prepayments(text, timestamptz, text, text, text[], integer, integer) IS 'Prepayments, with their allocations as jsonb. Rows from GET Prepayments of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); invoice_numbers (only these invoice numbers); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_prepayment_line_items(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, invoice_numbers text[] DEFAULT NULL, unit_dp integer DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "prepayment_id" uuid,
    "reference" text,
    "line_number" integer,
    "line_item_id" uuid,
    "description" text,
    "quantity" numeric,
    "unit_amount" numeric,
    "item_code" text,
    "account_code" text,
    "account_id" uuid,
    "tax_type" text,
    "tax_amount" numeric,
    "item_id" uuid,
    "item_name" text,
    "line_amount" numeric,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "discount_rate" numeric,
    "discount_amount" numeric,
    "repeating_invoice_id" uuid,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_prepayment_line_items(text, timestamptz, text, text, text[], integer, integer) IS 'One row per prepayment line item, with the prepayment it belongs to. Rows from GET Prepayments of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); invoice_numbers (only these invoice numbers); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_prepayment_allocations(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, invoice_numbers text[] DEFAULT NULL, unit_dp integer DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "prepayment_id" uuid,
    "reference" text,
    "position" integer,
    "allocation_id" uuid,
    "invoice" jsonb,
    "overpayment" jsonb,
    "prepayment" jsonb,
    "credit_note" jsonb,
    "amount" numeric,
    "date" date,
    "is_deleted" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_prepayment_allocations(text, timestamptz, text, text, text[], integer, integer) IS 'One row per allocation of a prepayment to an invoice. Rows from GET Prepayments of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); invoice_numbers (only these invoice numbers); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_purchase_orders(org text, modified_since timestamptz DEFAULT NULL, order_by text DEFAULT NULL, status_is text DEFAULT NULL, date_from date DEFAULT NULL, date_to date DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "purchase_order_id" uuid,
    "contact_id" uuid,
    "contact_name" text,
    "contact_number" text,
    "line_items" jsonb,
    "date" date,
    "delivery_date" date,
    "line_amount_types" text,
    "purchase_order_number" text,
    "reference" text,
    "branding_theme_id" uuid,
    "currency_code" text,
    "status" text,
    "sent_to_contact" boolean,
    "delivery_address" text,
    "attention_to" text,
    "telephone" text,
    "delivery_instructions" text,
    "expected_arrival_date" date,
    "currency_rate" numeric,
    "sub_total" numeric,
    "total_tax" numeric,
    "total" numeric,
    "total_discount" numeric,
    "has_attachments" boolean,
    "updated_date_utc" timestamptz,
    "attachments" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_purchase_orders(text, timestamptz, text, text, date, date, integer) IS 'Purchase orders; line items as jsonb. Rows from GET PurchaseOrders of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); status_is (filter by purchase order status); date_from (filter by purchase order date (e.g. GET https://.../PurchaseOrders?DateFrom=2015-12-01&DateTo=2015-12-31); date_to (filter by purchase order date (e.g. GET https://.../PurchaseOrders?DateFrom=2015-12-01&DateTo=2015-12-31); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_purchase_order_line_items(org text, modified_since timestamptz DEFAULT NULL, order_by text DEFAULT NULL, status_is text DEFAULT NULL, date_from date DEFAULT NULL, date_to date DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "purchase_order_id" uuid,
    "purchase_order_number" text,
    "line_number" integer,
    "line_item_id" uuid,
    "description" text,
    "quantity" numeric,
    "unit_amount" numeric,
    "item_code" text,
    "account_code" text,
    "account_id" uuid,
    "tax_type" text,
    "tax_amount" numeric,
    "item_id" uuid,
    "item_name" text,
    "line_amount" numeric,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "discount_rate" numeric,
    "discount_amount" numeric,
    "repeating_invoice_id" uuid,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_purchase_order_line_items(text, timestamptz, text, text, date, date, integer) IS 'One row per purchase order line item, with the purchase order it belongs to. Rows from GET PurchaseOrders of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); status_is (filter by purchase order status); date_from (filter by purchase order date (e.g. GET https://.../PurchaseOrders?DateFrom=2015-12-01&DateTo=2015-12-31); date_to (filter by purchase order date (e.g. GET https://.../PurchaseOrders?DateFrom=2015-12-01&DateTo=2015-12-31); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_quotes(org text, modified_since timestamptz DEFAULT NULL, order_by text DEFAULT NULL, date_from date DEFAULT NULL, date_to date DEFAULT NULL, expiry_date_from date DEFAULT NULL, expiry_date_to date DEFAULT NULL, contact_id_is uuid DEFAULT NULL, status_is text DEFAULT NULL, quote_number_is text DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "quote_id" uuid,
    "quote_number" text,
    "reference" text,
    "terms" text,
    "contact_id" uuid,
    "contact_name" text,
    "contact_number" text,
    "line_items" jsonb,
    "date" date,
    "date_string" text,
    "expiry_date" date,
    "expiry_date_string" text,
    "status" text,
    "currency_code" text,
    "currency_rate" numeric,
    "sub_total" numeric,
    "total_tax" numeric,
    "total" numeric,
    "total_discount" numeric,
    "title" text,
    "summary" text,
    "branding_theme_id" uuid,
    "updated_date_utc" timestamptz,
    "line_amount_types" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_quotes(text, timestamptz, text, date, date, date, date, uuid, text, text, integer) IS 'Quotes; line items as jsonb. Rows from GET Quotes of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); date_from (filter for quotes after a particular date); date_to (filter for quotes before a particular date); expiry_date_from (filter for quotes expiring after a particular date); expiry_date_to (filter for quotes before a particular date); contact_id_is (filter for quotes belonging to a particular contact); status_is (filter for quotes of a particular Status); quote_number_is (filter by quote number (e.g. GET https://.../Quotes?QuoteNumber=QU-0001)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_quote_line_items(org text, modified_since timestamptz DEFAULT NULL, order_by text DEFAULT NULL, date_from date DEFAULT NULL, date_to date DEFAULT NULL, expiry_date_from date DEFAULT NULL, expiry_date_to date DEFAULT NULL, contact_id_is uuid DEFAULT NULL, status_is text DEFAULT NULL, quote_number_is text DEFAULT NULL, max_pages integer DEFAULT NULL)
RETURNS TABLE (
    "quote_id" uuid,
    "quote_number" text,
    "line_number" integer,
    "line_item_id" uuid,
    "description" text,
    "quantity" numeric,
    "unit_amount" numeric,
    "item_code" text,
    "account_code" text,
    "account_id" uuid,
    "tax_type" text,
    "tax_amount" numeric,
    "item_id" uuid,
    "item_name" text,
    "line_amount" numeric,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "discount_rate" numeric,
    "discount_amount" numeric,
    "repeating_invoice_id" uuid,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_quote_line_items(text, timestamptz, text, date, date, date, date, uuid, text, text, integer) IS 'One row per quote line item, with the quote it belongs to. Rows from GET Quotes of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); date_from (filter for quotes after a particular date); date_to (filter for quotes before a particular date); expiry_date_from (filter for quotes expiring after a particular date); expiry_date_to (filter for quotes before a particular date); contact_id_is (filter for quotes belonging to a particular contact); status_is (filter for quotes of a particular Status); quote_number_is (filter by quote number (e.g. GET https://.../Quotes?QuoteNumber=QU-0001)); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE OR REPLACE FUNCTION xero_receipts(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL)
RETURNS TABLE (
    "receipt_id" uuid,
    "date" date,
    "contact_id" uuid,
    "contact_name" text,
    "contact_number" text,
    "line_items" jsonb,
    "user" jsonb,
    "reference" text,
    "line_amount_types" text,
    "sub_total" numeric,
    "total_tax" numeric,
    "total" numeric,
    "status" text,
    "receipt_number" text,
    "updated_date_utc" timestamptz,
    "has_attachments" boolean,
    "url" text,
    "attachments" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_receipts(text, timestamptz, text, text, integer) IS 'Draft expense claim receipts; line items as jsonb. Rows from GET Receipts of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)).';

CREATE OR REPLACE FUNCTION xero_receipt_line_items(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, unit_dp integer DEFAULT NULL)
RETURNS TABLE (
    "receipt_id" uuid,
    "receipt_number" text,
    "line_number" integer,
    "line_item_id" uuid,
    "description" text,
    "quantity" numeric,
    "unit_amount" numeric,
    "item_code" text,
    "account_code" text,
    "account_id" uuid,
    "tax_type" text,
    "tax_amount" numeric,
    "item_id" uuid,
    "item_name" text,
    "line_amount" numeric,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "discount_rate" numeric,
    "discount_amount" numeric,
    "repeating_invoice_id" uuid,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_receipt_line_items(text, timestamptz, text, text, integer) IS 'One row per receipt line item, with the receipt it belongs to. Rows from GET Receipts of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); unit_dp (decimal places of unit amounts; NULL sends Xero''s 4 (its own default of 2 would round 4-decimal prices)).';

CREATE OR REPLACE FUNCTION xero_repeating_invoices(org text, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "repeating_invoice_id" uuid,
    "type" text,
    "contact_id" uuid,
    "contact_name" text,
    "contact_number" text,
    "schedule" jsonb,
    "line_items" jsonb,
    "line_amount_types" text,
    "reference" text,
    "branding_theme_id" uuid,
    "currency_code" text,
    "status" text,
    "sub_total" numeric,
    "total_tax" numeric,
    "total" numeric,
    "id" uuid,
    "has_attachments" boolean,
    "attachments" jsonb,
    "approved_for_sending" boolean,
    "send_copy" boolean,
    "mark_as_sent" boolean,
    "include_pdf" boolean
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_repeating_invoices(text, text, text) IS 'Repeating invoice templates and their schedules. Rows from GET RepeatingInvoices of the organisation (foreign server) named by org. Filters: where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_repeating_invoice_line_items(org text, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "repeating_invoice_id" uuid,
    "reference" text,
    "line_number" integer,
    "line_item_id" uuid,
    "description" text,
    "quantity" numeric,
    "unit_amount" numeric,
    "item_code" text,
    "account_code" text,
    "account_id" uuid,
    "tax_type" text,
    "tax_amount" numeric,
    "item_id" uuid,
    "item_name" text,
    "line_amount" numeric,
    "tracking" jsonb,
    "tracking_category_1" text,
    "tracking_option_1" text,
    "tracking_category_2" text,
    "tracking_option_2" text,
    "discount_rate" numeric,
    "discount_amount" numeric,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_repeating_invoice_line_items(text, text, text) IS 'One row per repeating invoice line item, with the template it belongs to. Rows from GET RepeatingInvoices of the organisation (foreign server) named by org. Filters: where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_tax_rates(org text, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "tax_type" text,
    "name" text,
    "tax_components" jsonb,
    "status" text,
    "report_tax_type" text,
    "can_apply_to_assets" boolean,
    "can_apply_to_equity" boolean,
    "can_apply_to_expenses" boolean,
    "can_apply_to_liabilities" boolean,
    "can_apply_to_revenue" boolean,
    "display_tax_rate" numeric,
    "effective_rate" numeric
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_tax_rates(text, text, text) IS 'Tax rates. Rows from GET TaxRates of the organisation (foreign server) named by org. Filters: where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_tracking_categories(org text, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, include_archived boolean DEFAULT NULL)
RETURNS TABLE (
    "tracking_category_id" uuid,
    "tracking_option_id" uuid,
    "name" text,
    "option" text,
    "status" text,
    "options" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_tracking_categories(text, text, text, boolean) IS 'Tracking categories, with their options as jsonb. Rows from GET TrackingCategories of the organisation (foreign server) named by org. Filters: where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); include_archived (also return archived records).';

CREATE OR REPLACE FUNCTION xero_tracking_options(org text, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, include_archived boolean DEFAULT NULL)
RETURNS TABLE (
    "tracking_category_id" uuid,
    "tracking_category_name" text,
    "position" integer,
    "tracking_option_id" uuid,
    "name" text,
    "status" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_tracking_options(text, text, text, boolean) IS 'One row per option of a tracking category. Rows from GET TrackingCategories of the organisation (foreign server) named by org. Filters: where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); include_archived (also return archived records).';

CREATE OR REPLACE FUNCTION xero_users(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
RETURNS TABLE (
    "user_id" uuid,
    "email_address" text,
    "first_name" text,
    "last_name" text,
    "updated_date_utc" timestamptz,
    "is_subscriber" boolean,
    "organisation_role" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 100
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_users(text, timestamptz, text, text) IS 'Users of the organisation. Rows from GET Users of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`).';

CREATE OR REPLACE FUNCTION xero_reports(org text)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_reports(text) IS 'Xero''s published reports (those saved in the organisation), in tidy rows. GET Reports of the organisation (foreign server) named by org: one row per value cell.';

CREATE OR REPLACE FUNCTION xero_report_aged_payables_by_contact(org text, contact_id uuid, date date DEFAULT NULL, from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_aged_payables_by_contact(text, uuid, date, date, date) IS 'What the organisation owes one supplier, by age (current, 1, 2, 3 months, older), in tidy rows. GET Reports/AgedPayablesByContact of the organisation (foreign server) named by org: one row per value cell. Parameters: contact_id (Unique identifier for a Contact); date (The date of the Aged Payables By Contact report); from_date (filter by the from date of the report e.g. 2021-02-01); to_date (filter by the to date of the report e.g. 2021-02-28).';

CREATE OR REPLACE FUNCTION xero_report_aged_receivables_by_contact(org text, contact_id uuid, date date DEFAULT NULL, from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_aged_receivables_by_contact(text, uuid, date, date, date) IS 'What one customer owes the organisation, by age (current, 1, 2, 3 months, older), in tidy rows. GET Reports/AgedReceivablesByContact of the organisation (foreign server) named by org: one row per value cell. Parameters: contact_id (Unique identifier for a Contact); date (The date of the Aged Receivables By Contact report); from_date (filter by the from date of the report e.g. 2021-02-01); to_date (filter by the to date of the report e.g. 2021-02-28).';

CREATE OR REPLACE FUNCTION xero_report_balance_sheet(org text, date date DEFAULT NULL, periods integer DEFAULT NULL, timeframe text DEFAULT NULL, tracking_option_id_1 text DEFAULT NULL, tracking_option_id_2 text DEFAULT NULL, standard_layout boolean DEFAULT NULL, payments_only boolean DEFAULT NULL)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_balance_sheet(text, date, integer, text, text, text, boolean, boolean) IS 'Assets, liabilities and equity at a date (and earlier periods), in tidy rows. GET Reports/BalanceSheet of the organisation (foreign server) named by org: one row per value cell. Parameters: date (The date of the Balance Sheet report); periods (The number of periods for the Balance Sheet report); timeframe (The period size to compare to (MONTH, QUARTER, YEAR)); tracking_option_id_1 (The tracking option 1 for the Balance Sheet report); tracking_option_id_2 (The tracking option 2 for the Balance Sheet report); standard_layout (The standard layout boolean for the Balance Sheet report); payments_only (return a cash basis for the Balance Sheet report).';

CREATE OR REPLACE FUNCTION xero_report_bank_summary(org text, from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_bank_summary(text, date, date) IS 'Opening balance, cash received, cash spent and closing balance of each bank account over a range, in tidy rows. GET Reports/BankSummary of the organisation (foreign server) named by org: one row per value cell. Parameters: from_date (filter by the from date of the report e.g. 2021-02-01); to_date (filter by the to date of the report e.g. 2021-02-28).';

CREATE OR REPLACE FUNCTION xero_report_budget_summary(org text, date date DEFAULT NULL, periods integer DEFAULT NULL, timeframe integer DEFAULT NULL)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_budget_summary(text, date, integer, integer) IS 'Budgeted amounts by account and period, in tidy rows. GET Reports/BudgetSummary of the organisation (foreign server) named by org: one row per value cell. Parameters: date (The date for the Bank Summary report e.g. 2018-03-31); periods (The number of periods to compare (integer between 1 and 12)); timeframe (The period size to compare to (1=month, 3=quarter, 12=year)).';

CREATE OR REPLACE FUNCTION xero_report_executive_summary(org text, date date DEFAULT NULL)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_executive_summary(text, date) IS 'Cash, profitability, balance sheet and income measures for a month against the month before, in tidy rows. GET Reports/ExecutiveSummary of the organisation (foreign server) named by org: one row per value cell. Parameters: date (The date for the Bank Summary report e.g. 2018-03-31).';

CREATE OR REPLACE FUNCTION xero_report_profit_and_loss(org text, from_date date DEFAULT NULL, to_date date DEFAULT NULL, periods integer DEFAULT NULL, timeframe text DEFAULT NULL, tracking_category_id text DEFAULT NULL, tracking_category_id_2 text DEFAULT NULL, tracking_option_id text DEFAULT NULL, tracking_option_id_2 text DEFAULT NULL, standard_layout boolean DEFAULT NULL, payments_only boolean DEFAULT NULL)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_profit_and_loss(text, date, date, integer, text, text, text, text, text, boolean, boolean) IS 'Income, expenses and net profit over a range (and earlier periods), in tidy rows. GET Reports/ProfitAndLoss of the organisation (foreign server) named by org: one row per value cell. Parameters: from_date (filter by the from date of the report e.g. 2021-02-01); to_date (filter by the to date of the report e.g. 2021-02-28); periods (The number of periods to compare (integer between 1 and 12)); timeframe (The period size to compare to (MONTH, QUARTER, YEAR)); tracking_category_id (The trackingCategory 1 for the ProfitAndLoss report); tracking_category_id_2 (The trackingCategory 2 for the ProfitAndLoss report); tracking_option_id (The tracking option 1 for the ProfitAndLoss report); tracking_option_id_2 (The tracking option 2 for the ProfitAndLoss report); standard_layout (Return the standard layout for the ProfitAndLoss report); payments_only (Return cash only basis for the ProfitAndLoss report).';

CREATE OR REPLACE FUNCTION xero_report_ten_ninety_nine(org text, report_year text DEFAULT NULL)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_ten_ninety_nine(text, text) IS 'The US 1099 report: one row per contact and box. GET Reports/TenNinetyNine of the organisation (foreign server) named by org: one row per value cell. Parameters: report_year (The year of the 1099 report).';

CREATE OR REPLACE FUNCTION xero_report_trial_balance(org text, date date DEFAULT NULL, payments_only boolean DEFAULT NULL)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_trial_balance(text, date, boolean) IS 'Every account''s debit and credit balances at a date (and year to date), in tidy rows. GET Reports/TrialBalance of the organisation (foreign server) named by org: one row per value cell. Parameters: date (The date for the Trial Balance report e.g. 2018-03-31); payments_only (Return cash only basis for the Trial Balance report).';

CREATE OR REPLACE FUNCTION xero_report_by_id(org text, report_id text)
RETURNS TABLE (
    "section" text,
    "row_number" integer,
    "row_type" text,
    "label" text,
    "account_id" uuid,
    "column_number" integer,
    "column_header" text,
    "value" numeric,
    "text" text
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 200
AS 'MODULE_PATHNAME', 'xero_report_rows';
COMMENT ON FUNCTION xero_report_by_id(text, text) IS 'A published report by its id (from xero_reports), in tidy rows. GET Reports/{ReportID} of the organisation (foreign server) named by org: one row per value cell. Parameters: report_id (Unique identifier for a Report).';
