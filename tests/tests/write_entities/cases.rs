//! The cases of `write_entities.rs`: for every writable table, the row it inserts (and the
//! records that row needs), what Xero must assign, the change an UPDATE makes and what a DELETE
//! must leave behind.

/// What a DELETE leaves in Xero.
pub enum Gone {
    /// The record is kept with this status; `query` (`$1`: the id as text) reads it.
    Status(&'static str, String),
    /// Xero has no such record any more: `query` (`$1`: the id as text) finds no row.
    Removed(String),
    /// Xero cannot remove it: the DELETE fails with 0A000 and the record is still there.
    Refused,
}

pub struct Case {
    pub table: &'static str,
    /// The id column and its type (`uuid`; `text` where a code is the key).
    pub id: (&'static str, &'static str),
    /// Statements run before the INSERT (records the row refers to).
    pub setup: Vec<String>,
    /// What follows `INSERT INTO acme.<table>`: `(columns) VALUES (…)`.
    pub insert: String,
    /// RETURNING expressions of what Xero assigned (numbers, statuses, totals, dates): each
    /// must be set.
    pub assigned: &'static [&'static str],
    /// RETURNING expressions (as text) and the values Xero gives them.
    pub returns: &'static [(&'static str, &'static str)],
    /// Queries (one text value) of what the write did to other records, and their values
    /// after the INSERT and after the DELETE (a payment lowers what its invoice owes; its
    /// removal restores it).
    pub after_insert: Vec<(String, &'static str)>,
    pub after_delete: Vec<(String, &'static str)>,
    /// A column (as text) whose value the INSERT gave, read back by id.
    pub check: (&'static str, &'static str),
    /// An UPDATE's SET clause and the check column's value after it; None: Xero cannot change
    /// these records, so an UPDATE fails with 0A000.
    pub update: Option<(String, &'static str)>,
    pub gone: Gone,
}

pub const CONTACT: &str = "(SELECT contact_id FROM acme.contacts WHERE contact_status = 'ACTIVE' ORDER BY name LIMIT 1)";
pub const SALES: &str = "(SELECT code FROM acme.accounts WHERE type = 'REVENUE' AND status = 'ACTIVE' ORDER BY code LIMIT 1)";
pub const EXPENSE: &str = "(SELECT code FROM acme.accounts WHERE type = 'EXPENSE' AND status = 'ACTIVE' ORDER BY code LIMIT 1)";
pub const BANK: &str = "(SELECT code FROM acme.accounts WHERE type = 'BANK' AND status = 'ACTIVE' ORDER BY code LIMIT 1)";
pub const BANK_2: &str = "(SELECT code FROM acme.accounts WHERE type = 'BANK' AND status = 'ACTIVE' ORDER BY code OFFSET 1 LIMIT 1)";
pub const USER: &str = "(SELECT user_id FROM acme.users ORDER BY user_id LIMIT 1)";

/// Line items of one line of `quantity` × `price` on the account `code` (a subquery).
fn lines(code: &str, quantity: u32, price: u32) -> String {
    format!("jsonb_build_array(jsonb_build_object('Description', 'Consulting', 'Quantity', {quantity}, 'UnitAmount', {price}, 'AccountCode', {code}))")
}

/// An AUTHORISED sales invoice with `reference`, owing 115.00 (100 + tax), for the contact
/// `CONTACT`.
fn authorised_invoice(reference: &str) -> String {
    format!(
        "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items, status) \
         VALUES ('ACCREC', {CONTACT}, date '2026-10-01', date '2026-11-01', '{reference}', {}, 'AUTHORISED')",
        lines(SALES, 1, 100)
    )
}

/// What the invoice with `reference` owes.
fn due(reference: &str) -> String {
    format!("SELECT amount_due::text FROM acme.invoices WHERE reference = '{reference}'")
}

fn by_reference(table: &str, id: &str, reference: &str) -> String {
    format!("(SELECT {id} FROM acme.{table} WHERE reference = '{reference}')")
}

/// A case of an allocation of an AUTHORISED `RECEIVE-…` credit of the organisation (an
/// overpayment or prepayment, `parent` its table) to a new sales invoice of the same contact:
/// the invoice owes 10.00 less, and again all of it once the allocation is deleted.
fn credit_allocation(table: &'static str, parent: &str, reference: &'static str) -> Case {
    let parent_id = format!("{}_id", parent.trim_end_matches('s'));
    let credit = format!(
        "(SELECT {parent_id} FROM acme.{parent} WHERE type = 'RECEIVE-{kind}' AND status = 'AUTHORISED' AND remaining_credit >= 1000 \
          AND currency_code = (SELECT base_currency FROM acme.organisation) \
          AND contact_id IN (SELECT contact_id FROM acme.contacts WHERE contact_status = 'ACTIVE') ORDER BY {parent_id} LIMIT 1)",
        kind = parent.trim_end_matches('s').to_uppercase()
    );
    let due = due(reference);
    Case {
        table,
        id: ("allocation_id", "uuid"),
        setup: vec![format!(
            "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items, status) \
             SELECT 'ACCREC', contact_id, date '2026-11-01', date '2026-12-01', '{reference}', {}, 'AUTHORISED' \
             FROM acme.{parent} WHERE {parent_id} = {credit}",
            lines(SALES, 1, 100)
        )],
        insert: format!(
            "({parent_id}, invoice, amount, date) VALUES ({credit}, jsonb_build_object('InvoiceID', {}), 10, date '2026-11-10')",
            by_reference("invoices", "invoice_id", reference)
        ),
        assigned: &["date"],
        returns: &[],
        after_insert: vec![(due.clone(), "105.00")],
        after_delete: vec![(due, "115.00")],
        check: ("amount", "10.00"),
        update: None,
        gone: Gone::Removed(format!("SELECT 1 FROM acme.{table} WHERE allocation_id = $1::text::uuid AND is_deleted IS NOT TRUE")),
    }
}

pub fn cases() -> Vec<Case> {
    let status_of = |function: &str, id: &str, args: &str| format!("SELECT status FROM {function}('acme'{args}) WHERE {id} = $1::text::uuid");
    let none_in = |table: &str, id: &str| format!("SELECT 1 FROM acme.{table} WHERE {id} = $1::text::uuid");
    vec![
        Case {
            table: "invoices",
            id: ("invoice_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(type, contact_id, date, due_date, reference, line_items, status) \
                 VALUES ('ACCREC', {CONTACT}, date '2026-11-02', date '2026-12-02', 'E-INV', {}, 'DRAFT')",
                lines(SALES, 3, 20)
            ),
            assigned: &["invoice_number", "total", "amount_due", "status", "updated_date_utc"],
            returns: &[("sub_total", "60.00"), ("total", "69.00"), ("status", "DRAFT")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("reference", "E-INV"),
            update: Some(("reference = 'E-INV changed'".into(), "E-INV changed")),
            gone: Gone::Status("DELETED", "SELECT status FROM xero_invoices('acme', ids => ARRAY[$1::text::uuid])".into()),
        },
        Case {
            table: "credit_notes",
            id: ("credit_note_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(type, contact_id, date, reference, line_items, status) VALUES ('ACCRECCREDIT', {CONTACT}, date '2026-11-02', 'E-CN', {}, 'DRAFT')",
                lines(SALES, 1, 40)
            ),
            assigned: &["credit_note_number", "total", "status", "updated_date_utc"],
            returns: &[("sub_total", "40.00"), ("status", "DRAFT")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("reference", "E-CN"),
            update: Some(("reference = 'E-CN changed'".into(), "E-CN changed")),
            gone: Gone::Status("DELETED", status_of("xero_credit_notes", "credit_note_id", "")),
        },
        Case {
            table: "contacts",
            id: ("contact_id", "uuid"),
            setup: vec![],
            insert: "(name, first_name, email_address) VALUES ('Entities Test Ltd', 'Ada', 'ada@example.com')".into(),
            assigned: &["contact_status", "updated_date_utc"],
            returns: &[("contact_status", "ACTIVE")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("email_address", "ada@example.com"),
            update: Some(("email_address = 'ada@example.org'".into(), "ada@example.org")),
            gone: Gone::Status(
                "ARCHIVED",
                "SELECT contact_status FROM xero_contacts('acme', ids => ARRAY[$1::text::uuid], include_archived => true)".into(),
            ),
        },
        Case {
            table: "contact_groups",
            id: ("contact_group_id", "uuid"),
            setup: vec![],
            insert: "(name) VALUES ('Entities group')".into(),
            assigned: &["status"],
            returns: &[("status", "ACTIVE")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("name", "Entities group"),
            update: Some(("name = 'Entities group, renamed'".into(), "Entities group, renamed")),
            gone: Gone::Status("DELETED", status_of("xero_contact_groups", "contact_group_id", "")),
        },
        Case {
            table: "items",
            id: ("item_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(code, name, sales_details) VALUES ('E-ITEM', 'Entities item', jsonb_build_object('UnitPrice', 12.5, 'AccountCode', {SALES}))"
            ),
            assigned: &["is_sold", "updated_date_utc"],
            returns: &[("is_sold", "true")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("name", "Entities item"),
            update: Some(("name = 'Entities item, renamed'".into(), "Entities item, renamed")),
            gone: Gone::Removed(none_in("items", "item_id")),
        },
        Case {
            table: "accounts",
            id: ("account_id", "uuid"),
            setup: vec![],
            insert: "(code, name, type) VALUES ('E-ACC', 'Entities expenses', 'EXPENSE')".into(),
            assigned: &["class", "status", "updated_date_utc"],
            returns: &[("class", "EXPENSE"), ("status", "ACTIVE")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("name", "Entities expenses"),
            update: Some(("name = 'Entities expenses, renamed'".into(), "Entities expenses, renamed")),
            gone: Gone::Removed(none_in("accounts", "account_id")),
        },
        Case {
            table: "payments",
            id: ("payment_id", "uuid"),
            setup: vec![authorised_invoice("E-PAY-INV")],
            insert: format!(
                "(invoice, account, date, amount, reference) VALUES (jsonb_build_object('InvoiceID', {}), jsonb_build_object('Code', {BANK}), \
                 date '2026-11-05', 15, 'E-PAY')",
                by_reference("invoices", "invoice_id", "E-PAY-INV")
            ),
            assigned: &["status", "payment_type", "updated_date_utc"],
            returns: &[("status", "AUTHORISED"), ("amount", "15.00"), ("payment_type", "ACCRECPAYMENT")],
            after_insert: vec![(due("E-PAY-INV"), "100.00")],
            after_delete: vec![(due("E-PAY-INV"), "115.00")],
            check: ("reference", "E-PAY"),
            update: None,
            gone: Gone::Status("DELETED", status_of("xero_payments", "payment_id", "")),
        },
        Case {
            table: "batch_payments",
            id: ("batch_payment_id", "uuid"),
            setup: vec![authorised_invoice("E-BATCH-INV")],
            insert: format!(
                "(account, date, reference, payments) VALUES (jsonb_build_object('Code', {BANK}), date '2026-11-05', 'E-BATCH', \
                 jsonb_build_array(jsonb_build_object('Invoice', jsonb_build_object('InvoiceID', {}), 'Amount', 20)))",
                by_reference("invoices", "invoice_id", "E-BATCH-INV")
            ),
            assigned: &["type", "status", "total_amount"],
            returns: &[("type", "RECBATCH"), ("total_amount", "20.00"), ("status", "AUTHORISED")],
            after_insert: vec![(due("E-BATCH-INV"), "95.00")],
            after_delete: vec![(due("E-BATCH-INV"), "115.00")],
            check: ("reference", "E-BATCH"),
            update: None,
            gone: Gone::Status("DELETED", status_of("xero_batch_payments", "batch_payment_id", "")),
        },
        Case {
            table: "bank_transactions",
            id: ("bank_transaction_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(type, contact_id, bank_account, line_items, date, reference) VALUES ('SPEND', {CONTACT}, jsonb_build_object('Code', {BANK}), {}, \
                 date '2026-11-03', 'E-BT')",
                lines(EXPENSE, 2, 30)
            ),
            assigned: &["total", "status", "updated_date_utc"],
            returns: &[("sub_total", "60.00"), ("status", "AUTHORISED")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("reference", "E-BT"),
            update: Some(("reference = 'E-BT changed'".into(), "E-BT changed")),
            gone: Gone::Status("DELETED", status_of("xero_bank_transactions", "bank_transaction_id", "")),
        },
        Case {
            table: "bank_transfers",
            id: ("bank_transfer_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(from_bank_account, to_bank_account, amount, date, reference) VALUES (jsonb_build_object('Code', {BANK}), \
                 jsonb_build_object('Code', {BANK_2}), 25, date '2026-11-04', 'E-BTR')"
            ),
            assigned: &["status", "created_date_utc", "from_bank_transaction_id"],
            returns: &[("amount", "25.00"), ("status", "AUTHORISED")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("reference", "E-BTR"),
            update: None,
            gone: Gone::Status("DELETED", status_of("xero_bank_transfers", "bank_transfer_id", ", include_deleted => true")),
        },
        Case {
            table: "manual_journals",
            id: ("manual_journal_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(narration, date, journal_lines, status) VALUES ('E-MJ', date '2026-11-06', \
                 jsonb_build_array(jsonb_build_object('LineAmount', 50, 'AccountCode', {EXPENSE}), \
                                   jsonb_build_object('LineAmount', -50, 'AccountCode', {SALES})), 'DRAFT')"
            ),
            assigned: &["status", "updated_date_utc"],
            returns: &[("status", "DRAFT")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("narration", "E-MJ"),
            update: Some(("narration = 'E-MJ changed'".into(), "E-MJ changed")),
            gone: Gone::Status("DELETED", status_of("xero_manual_journals", "manual_journal_id", "")),
        },
        Case {
            table: "purchase_orders",
            id: ("purchase_order_id", "uuid"),
            setup: vec![],
            insert: format!("(contact_id, date, line_items, reference) VALUES ({CONTACT}, date '2026-11-07', {}, 'E-PO')", lines(EXPENSE, 4, 10)),
            assigned: &["purchase_order_number", "total", "status", "updated_date_utc"],
            returns: &[("sub_total", "40.00"), ("status", "DRAFT")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("reference", "E-PO"),
            update: Some(("reference = 'E-PO changed'".into(), "E-PO changed")),
            gone: Gone::Status("DELETED", status_of("xero_purchase_orders", "purchase_order_id", "")),
        },
        Case {
            table: "quotes",
            id: ("quote_id", "uuid"),
            setup: vec![],
            insert: format!("(contact_id, date, line_items, reference, title) VALUES ({CONTACT}, date '2026-11-08', {}, 'E-QU', 'Entities quote')", lines(SALES, 1, 75)),
            assigned: &["quote_number", "total", "status", "updated_date_utc"],
            returns: &[("sub_total", "75.00"), ("status", "DRAFT")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("title", "Entities quote"),
            update: Some(("title = 'Entities quote, changed'".into(), "Entities quote, changed")),
            gone: Gone::Status("DELETED", status_of("xero_quotes", "quote_id", "")),
        },
        Case {
            table: "receipts",
            id: ("receipt_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(date, contact_id, \"user\", line_items, reference) VALUES (date '2026-11-09', {CONTACT}, jsonb_build_object('UserID', {USER}), {}, 'E-RE')",
                lines(EXPENSE, 1, 18)
            ),
            assigned: &["receipt_number", "total", "status", "updated_date_utc"],
            returns: &[("sub_total", "18.00"), ("status", "DRAFT")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("reference", "E-RE"),
            update: Some(("reference = 'E-RE changed'".into(), "E-RE changed")),
            gone: Gone::Status("VOIDED", status_of("xero_receipts", "receipt_id", "")),
        },
        Case {
            table: "expense_claims",
            id: ("expense_claim_id", "uuid"),
            setup: vec![format!(
                "INSERT INTO acme.receipts (date, contact_id, \"user\", line_items, reference) VALUES (date '2026-11-09', {CONTACT}, \
                 jsonb_build_object('UserID', {USER}), {}, 'E-EC-RE')",
                lines(EXPENSE, 1, 42)
            )],
            insert: format!(
                "(\"user\", receipts) VALUES (jsonb_build_object('UserID', {USER}), jsonb_build_array(jsonb_build_object('ReceiptID', {})))",
                by_reference("receipts", "receipt_id", "E-EC-RE")
            ),
            assigned: &["total", "amount_due", "updated_date_utc"],
            returns: &[],
            after_insert: vec![],
            after_delete: vec![],
            check: ("status", "SUBMITTED"),
            update: Some(("status = 'AUTHORISED'".into(), "AUTHORISED")),
            gone: Gone::Status("VOIDED", status_of("xero_expense_claims", "expense_claim_id", "")),
        },
        Case {
            table: "repeating_invoices",
            id: ("repeating_invoice_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(type, contact_id, schedule, line_items, reference, status) VALUES ('ACCREC', {CONTACT}, \
                 jsonb_build_object('Period', 1, 'Unit', 'MONTHLY', 'DueDate', 20, 'DueDateType', 'OFFOLLOWINGMONTH', 'StartDate', '2026-12-01'), \
                 {}, 'E-RI', 'DRAFT')",
                lines(SALES, 1, 99)
            ),
            assigned: &["total", "status"],
            returns: &[("sub_total", "99.00"), ("status", "DRAFT")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("reference", "E-RI"),
            update: Some(("reference = 'E-RI changed'".into(), "E-RI changed")),
            gone: Gone::Status("DELETED", status_of("xero_repeating_invoices", "repeating_invoice_id", "")),
        },
        Case {
            table: "tax_rates",
            id: ("tax_type", "text"),
            setup: vec![],
            insert: "(name, tax_components, report_tax_type) VALUES ('Entities tax', \
                     jsonb_build_array(jsonb_build_object('Name', 'Levy', 'Rate', 5)), 'OUTPUT')"
                .into(),
            assigned: &["status", "effective_rate"],
            returns: &[("status", "ACTIVE")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("name", "Entities tax"),
            update: Some(("name = 'Entities tax, renamed'".into(), "Entities tax, renamed")),
            gone: Gone::Status("DELETED", "SELECT status FROM xero_tax_rates('acme') WHERE tax_type = $1::text".into()),
        },
        Case {
            table: "currencies",
            id: ("code", "text"),
            setup: vec![],
            insert: "(code, description) VALUES ('JPY', 'Japanese Yen')".into(),
            assigned: &["description"],
            returns: &[],
            after_insert: vec![],
            after_delete: vec![],
            check: ("description", "Japanese Yen"),
            update: None,
            gone: Gone::Refused,
        },
        Case {
            table: "payment_services",
            id: ("payment_service_id", "uuid"),
            setup: vec![],
            insert: "(payment_service_name, payment_service_url, pay_now_text) VALUES ('Entities Pay', 'https://pay.example.com/?invoice=[INVOICENUMBER]', 'Pay now')"
                .into(),
            assigned: &["payment_service_type"],
            returns: &[("payment_service_type", "Custom")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("payment_service_name", "Entities Pay"),
            update: None,
            gone: Gone::Refused,
        },
        Case {
            table: "linked_transactions",
            id: ("linked_transaction_id", "uuid"),
            setup: vec![format!(
                "INSERT INTO acme.invoices (type, contact_id, date, due_date, reference, line_items, status) \
                 VALUES ('ACCPAY', {CONTACT}, date '2026-10-01', date '2026-11-01', 'E-LT-BILL', {}, 'AUTHORISED')",
                lines(EXPENSE, 1, 60)
            )],
            insert: format!(
                "(source_transaction_id, source_line_item_id, contact_id) VALUES ({}, \
                 (SELECT line_item_id FROM acme.invoice_line_items WHERE invoice_id = {} LIMIT 1), {CONTACT})",
                by_reference("invoices", "invoice_id", "E-LT-BILL"),
                by_reference("invoices", "invoice_id", "E-LT-BILL")
            ),
            assigned: &["status", "type", "updated_date_utc"],
            returns: &[("status", "DRAFT"), ("type", "BILLABLEEXPENSE")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("source_transaction_type_code", "ACCPAY"),
            update: Some((
                "target_transaction_id = (SELECT invoice_id FROM acme.invoices WHERE type = 'ACCREC' AND status = 'AUTHORISED' ORDER BY invoice_number LIMIT 1)"
                    .into(),
                "ACCPAY",
            )),
            gone: Gone::Removed(none_in("linked_transactions", "linked_transaction_id")),
        },
        Case {
            table: "tracking_categories",
            id: ("tracking_category_id", "uuid"),
            setup: vec![],
            insert: "(name) VALUES ('Entities region')".into(),
            assigned: &["status"],
            returns: &[("status", "ACTIVE")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("name", "Entities region"),
            update: Some(("name = 'Entities area'".into(), "Entities area")),
            gone: Gone::Removed("SELECT 1 FROM xero_tracking_categories('acme', include_archived => true) WHERE tracking_category_id = $1::text::uuid".into()),
        },
        Case {
            table: "tracking_options",
            id: ("tracking_option_id", "uuid"),
            setup: vec!["INSERT INTO acme.tracking_categories (name) VALUES ('Entities branch')".into()],
            insert: "(tracking_category_id, name) VALUES ((SELECT tracking_category_id FROM acme.tracking_categories WHERE name = 'Entities branch'), 'North')"
                .into(),
            assigned: &["status"],
            returns: &[("status", "ACTIVE")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("name", "North"),
            update: Some(("name = 'North-East'".into(), "North-East")),
            gone: Gone::Removed(
                "SELECT 1 FROM xero_tracking_options('acme', include_archived => true) WHERE tracking_option_id = $1::text::uuid".into(),
            ),
        },
        Case {
            table: "credit_note_allocations",
            id: ("allocation_id", "uuid"),
            setup: vec![
                authorised_invoice("E-ALLOC-INV"),
                format!(
                    "INSERT INTO acme.credit_notes (type, contact_id, date, reference, line_items, status) \
                     VALUES ('ACCRECCREDIT', {CONTACT}, date '2026-10-02', 'E-ALLOC-CN', {}, 'AUTHORISED')",
                    lines(SALES, 1, 20)
                ),
            ],
            insert: format!(
                "(credit_note_id, invoice, amount, date) VALUES ({}, jsonb_build_object('InvoiceID', {}), 10, date '2026-11-10')",
                by_reference("credit_notes", "credit_note_id", "E-ALLOC-CN"),
                by_reference("invoices", "invoice_id", "E-ALLOC-INV")
            ),
            assigned: &["date"],
            returns: &[],
            after_insert: vec![(due("E-ALLOC-INV"), "105.00"), ("SELECT remaining_credit::text FROM acme.credit_notes WHERE reference = 'E-ALLOC-CN'".into(), "13.00")],
            after_delete: vec![(due("E-ALLOC-INV"), "115.00"), ("SELECT remaining_credit::text FROM acme.credit_notes WHERE reference = 'E-ALLOC-CN'".into(), "23.00")],
            check: ("amount", "10.00"),
            update: None,
            gone: Gone::Removed(
                "SELECT 1 FROM acme.credit_note_allocations WHERE allocation_id = $1::text::uuid AND is_deleted IS NOT TRUE".into(),
            ),
        },
        // Approved documents are removed otherwise than drafts: an authorised credit note and a
        // posted journal are VOIDED.
        Case {
            table: "credit_notes",
            id: ("credit_note_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(type, contact_id, date, reference, line_items, status) VALUES ('ACCRECCREDIT', {CONTACT}, date '2026-11-02', 'E-CN-A', {}, 'AUTHORISED')",
                lines(SALES, 1, 40)
            ),
            assigned: &["credit_note_number", "updated_date_utc"],
            returns: &[("total", "46.00"), ("remaining_credit", "46.00"), ("status", "AUTHORISED")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("reference", "E-CN-A"),
            update: Some(("reference = 'E-CN-A changed'".into(), "E-CN-A changed")),
            gone: Gone::Status("VOIDED", status_of("xero_credit_notes", "credit_note_id", "")),
        },
        Case {
            table: "manual_journals",
            id: ("manual_journal_id", "uuid"),
            setup: vec![],
            insert: format!(
                "(narration, date, journal_lines, status) VALUES ('E-MJ-P', date '2026-11-06', \
                 jsonb_build_array(jsonb_build_object('LineAmount', 70, 'AccountCode', {EXPENSE}), \
                                   jsonb_build_object('LineAmount', -70, 'AccountCode', {SALES})), 'POSTED')"
            ),
            assigned: &["updated_date_utc"],
            returns: &[("status", "POSTED")],
            after_insert: vec![],
            after_delete: vec![],
            check: ("narration", "E-MJ-P"),
            update: Some(("narration = 'E-MJ-P changed'".into(), "E-MJ-P changed")),
            gone: Gone::Status("VOIDED", status_of("xero_manual_journals", "manual_journal_id", "")),
        },
        credit_allocation("overpayment_allocations", "overpayments", "E-OVER-INV"),
        credit_allocation("prepayment_allocations", "prepayments", "E-PRE-INV"),
    ]
}

