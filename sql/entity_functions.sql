-- @generated from the entity registry (crates/xero-core/src/entities) by xero_core::sql; do not edit.
-- Set-returning functions of every entity; a test keeps this file up to date.

CREATE FUNCTION xero_invoices(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, statuses text[] DEFAULT NULL, ids uuid[] DEFAULT NULL, invoice_numbers text[] DEFAULT NULL, contact_ids uuid[] DEFAULT NULL, include_archived boolean DEFAULT NULL, created_by_my_app boolean DEFAULT NULL, search_term text DEFAULT NULL, max_pages integer DEFAULT NULL)
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
COMMENT ON FUNCTION xero_invoices(text, timestamptz, text, text, text[], uuid[], text[], uuid[], boolean, boolean, text, integer) IS 'Sales invoices (ACCREC) and bills (ACCPAY), one row per invoice; line items as jsonb. Rows from GET Invoices of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); statuses (only these statuses, e.g. `{AUTHORISED,PAID}`); ids (only these records (keep to about 50 a call: Xero''s URL length limit)); invoice_numbers (only these invoice numbers); contact_ids (only invoices of these contacts); include_archived (also return archived records); created_by_my_app (only invoices created by this app); search_term (Xero''s case-insensitive search over the main text fields); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE FUNCTION xero_invoice_line_items(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, statuses text[] DEFAULT NULL, ids uuid[] DEFAULT NULL, invoice_numbers text[] DEFAULT NULL, contact_ids uuid[] DEFAULT NULL, include_archived boolean DEFAULT NULL, created_by_my_app boolean DEFAULT NULL, search_term text DEFAULT NULL, max_pages integer DEFAULT NULL)
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
    "discount_rate" numeric,
    "discount_amount" numeric,
    "repeating_invoice_id" uuid,
    "taxability" text,
    "sales_tax_code_id" numeric,
    "tax_breakdown" jsonb
)
LANGUAGE c VOLATILE PARALLEL UNSAFE ROWS 1000
AS 'MODULE_PATHNAME', 'xero_entity_rows';
COMMENT ON FUNCTION xero_invoice_line_items(text, timestamptz, text, text, text[], uuid[], text[], uuid[], boolean, boolean, text, integer) IS 'One row per invoice line item, with the invoice it belongs to. Rows from GET Invoices of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); statuses (only these statuses, e.g. `{AUTHORISED,PAID}`); ids (only these records (keep to about 50 a call: Xero''s URL length limit)); invoice_numbers (only these invoice numbers); contact_ids (only invoices of these contacts); include_archived (also return archived records); created_by_my_app (only invoices created by this app); search_term (Xero''s case-insensitive search over the main text fields); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE FUNCTION xero_contacts(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL, ids uuid[] DEFAULT NULL, include_archived boolean DEFAULT NULL, search_term text DEFAULT NULL, max_pages integer DEFAULT NULL)
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
COMMENT ON FUNCTION xero_contacts(text, timestamptz, text, text, uuid[], boolean, text, integer) IS 'Customers and suppliers. Rows from GET Contacts of the organisation (foreign server) named by org. Filters: modified_since (only records changed since this time (sent as If-Modified-Since, UTC to the second)); where_clause (a Xero `where` expression, e.g. `Status=="AUTHORISED" AND Date>=DateTime(2024,01,01)`); order_by (a Xero `order` expression, e.g. `UpdatedDateUTC DESC`); ids (only these records (keep to about 50 a call: Xero''s URL length limit)); include_archived (also return archived records); search_term (Xero''s case-insensitive search over the main text fields); max_pages (stop after this many pages (calls); NULL fetches every page).';

CREATE FUNCTION xero_accounts(org text, modified_since timestamptz DEFAULT NULL, where_clause text DEFAULT NULL, order_by text DEFAULT NULL)
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

CREATE FUNCTION xero_organisation(org text)
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
