//! Walks records into a [`Sink`] in the field order Xero's responses use.

use crate::dates::XeroDate;
use crate::ids::Uuid;
use crate::model::{Account, Address, Contact, CreditKind, Invoice, LineItem, Phone, Tenant};
use crate::sink::Sink;
use crate::unit_dp::UnitDp;

/// How much of an invoice a response carries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Detail {
    /// Paged or single GETs: everything, including `LineItems`.
    Full,
    /// Unpaged lists: Xero leaves out `LineItems`.
    NoLineItems,
    /// `summaryOnly=true`: no line items, payments or contact details beyond ID and name.
    Summary,
}

/// `{"pagination": …}` values: page, pageSize, pageCount, itemCount.
pub struct Pagination {
    pub page: usize,
    pub page_size: usize,
    pub page_count: usize,
    pub item_count: usize,
}

/// Writes Xero's response envelope around a list called `list` (e.g. "Invoices").
pub fn envelope<S: Sink>(
    s: &mut S,
    id: Uuid,
    now_ms: i64,
    pagination: Option<&Pagination>,
    list: &str,
    items: impl FnOnce(&mut S),
) {
    s.open("Response");
    s.uuid("Id", id);
    s.str("Status", "OK");
    s.str("ProviderName", "xero_fdw demo");
    s.date(
        "DateTimeUTC",
        XeroDate {
            ms: now_ms,
            offset: None,
        },
    );
    if let Some(p) = pagination {
        s.open("pagination");
        s.int("page", p.page as i64);
        s.int("pageSize", p.page_size as i64);
        s.int("pageCount", p.page_count as i64);
        s.int("itemCount", p.item_count as i64);
        s.close("pagination");
    }
    s.open_list(list);
    items(s);
    s.close_list(list);
    s.close("Response");
}

/// Xero's `ApiException` body; `validation` adds `Elements[].ValidationErrors[]`.
pub fn api_exception<S: Sink>(
    s: &mut S,
    number: i64,
    kind: &str,
    message: &str,
    validation: Option<&str>,
) {
    s.open("ApiException");
    s.int("ErrorNumber", number);
    s.str("Type", kind);
    s.str("Message", message);
    if let Some(detail) = validation {
        s.open_list("Elements");
        s.open("DataContractBase");
        s.open_list("ValidationErrors");
        s.open("ValidationError");
        s.str("Message", detail);
        s.close("ValidationError");
        s.close_list("ValidationErrors");
        s.close("DataContractBase");
        s.close_list("Elements");
    }
    s.close("ApiException");
}

pub fn invoice<S: Sink>(s: &mut S, t: &Tenant, inv: &Invoice, detail: Detail, dp: UnitDp) {
    let contact = &t.contacts[inv.contact as usize];
    s.open("Invoice");
    s.str("Type", inv.kind.as_str());
    s.uuid("InvoiceID", inv.invoice_id);
    s.str("InvoiceNumber", &inv.number);
    s.str("Reference", &inv.reference);
    if detail != Detail::Summary {
        s.open_list("Payments");
        for p in &inv.payments {
            s.open("Payment");
            s.uuid("PaymentID", p.payment_id);
            s.date("Date", XeroDate::day(p.date));
            s.money("Amount", p.amount);
            s.str("Reference", "");
            s.fixed("CurrencyRate", inv.currency_rate, 6);
            s.bool("HasAccount", false);
            s.bool("HasValidationErrors", false);
            s.close("Payment");
        }
        s.close_list("Payments");
        for kind in [
            CreditKind::CreditNote,
            CreditKind::Prepayment,
            CreditKind::Overpayment,
        ] {
            credits(s, inv, kind);
        }
    }
    s.money("AmountDue", inv.amount_due);
    s.money("AmountPaid", inv.amount_paid);
    s.money("AmountCredited", inv.amount_credited);
    s.fixed("CurrencyRate", inv.currency_rate, 6);
    s.bool("IsDiscounted", false);
    s.bool("HasAttachments", inv.has_attachments);
    s.bool("HasErrors", false);
    s.open("Contact");
    s.uuid("ContactID", contact.contact_id);
    if detail != Detail::Summary {
        s.str("ContactNumber", &contact.contact_number);
    }
    s.str("Name", &contact.name);
    if detail != Detail::Summary {
        s.str("EmailAddress", &contact.email);
        s.empty_list("Addresses");
        s.empty_list("Phones");
        s.empty_list("ContactGroups");
        s.empty_list("ContactPersons");
        s.bool("HasValidationErrors", false);
    }
    s.close("Contact");
    let date = XeroDate::day(inv.date);
    let due = XeroDate::day(inv.due_date);
    s.date_string("DateString", date);
    s.date("Date", date);
    s.date_string("DueDateString", due);
    s.date("DueDate", due);
    if let Some(theme) = inv.branding_theme {
        s.uuid("BrandingThemeID", theme);
    }
    s.str("Status", inv.status.as_str());
    s.str("LineAmountTypes", inv.line_amount_types());
    if detail == Detail::Full {
        s.open_list("LineItems");
        for li in &inv.line_items {
            line_item(s, t, li, dp);
        }
        s.close_list("LineItems");
    }
    s.money("SubTotal", inv.sub_total);
    s.money("TotalTax", inv.total_tax);
    s.money("Total", inv.total);
    s.date("UpdatedDateUTC", inv.updated);
    s.str("CurrencyCode", inv.currency_code);
    if let Some(paid) = inv.fully_paid_on {
        s.date("FullyPaidOnDate", XeroDate::day(paid));
    }
    s.bool("SentToContact", inv.sent_to_contact);
    s.close("Invoice");
}

/// The invoice's `CreditNotes` (`Prepayments`, `Overpayments`): the documents allocated
/// to it, each with the amount it applied.
fn credits<S: Sink>(s: &mut S, inv: &Invoice, kind: CreditKind) {
    let id = format!("{}ID", kind.schema());
    s.open_list(kind.collection());
    for c in inv.credits.iter().filter(|c| c.kind == kind) {
        s.open(kind.schema());
        s.uuid(&id, c.doc_id);
        s.uuid("ID", c.doc_id);
        if kind == CreditKind::CreditNote {
            s.str(
                "CreditNoteNumber",
                &crate::generic_data::document_number("CreditNoteNumber", c.doc as usize),
            );
        }
        s.money("AppliedAmount", c.amount);
        s.date("Date", XeroDate::day(c.date));
        s.close(kind.schema());
    }
    s.close_list(kind.collection());
}

fn line_item<S: Sink>(s: &mut S, t: &Tenant, li: &LineItem, dp: UnitDp) {
    s.open("LineItem");
    s.str("Description", li.description);
    dp.write(s, "UnitAmount", li.unit_amount);
    s.str("TaxType", li.tax_type);
    s.money("TaxAmount", li.tax_amount);
    s.money("LineAmount", li.line_amount);
    // A written draft's line may name no account (`NO_ACCOUNT`).
    if let Some(account) = t.accounts.get(usize::from(li.account)) {
        s.str("AccountCode", account.code);
        s.uuid("AccountID", account.account_id);
    }
    if let Some(code) = li.item_code {
        s.str("ItemCode", code);
    }
    s.empty_list("Tracking");
    s.fixed("Quantity", li.quantity, 4);
    if li.discount_rate != 0 {
        s.money("DiscountRate", li.discount_rate);
    }
    s.uuid("LineItemID", li.line_item_id);
    s.close("LineItem");
}

pub fn contact<S: Sink>(s: &mut S, c: &Contact) {
    s.open("Contact");
    s.uuid("ContactID", c.contact_id);
    s.str("ContactNumber", &c.contact_number);
    if let Some(n) = &c.account_number {
        s.str("AccountNumber", n);
    }
    s.str(
        "ContactStatus",
        if c.archived { "ARCHIVED" } else { "ACTIVE" },
    );
    s.str("Name", &c.name);
    s.str("FirstName", &c.first_name);
    s.str("LastName", &c.last_name);
    s.str("EmailAddress", &c.email);
    s.str("BankAccountDetails", &c.bank_account);
    if let Some(n) = &c.tax_number {
        s.str("TaxNumber", n);
    }
    s.open_list("Addresses");
    address(s, "POBOX", &c.postal);
    address(s, "STREET", &c.street);
    s.close_list("Addresses");
    s.open_list("Phones");
    for p in &c.phones {
        phone(s, p);
    }
    s.close_list("Phones");
    s.date("UpdatedDateUTC", c.updated);
    s.empty_list("ContactGroups");
    s.bool("IsSupplier", c.is_supplier);
    s.bool("IsCustomer", c.is_customer);
    if let Some(cur) = c.default_currency {
        s.str("DefaultCurrency", cur);
    }
    if let Some(w) = &c.website {
        s.str("Website", w);
    }
    s.empty_list("ContactPersons");
    s.bool("HasAttachments", c.has_attachments);
    s.bool("HasValidationErrors", false);
    s.close("Contact");
}

fn address<S: Sink>(s: &mut S, kind: &str, a: &Address) {
    s.open("Address");
    s.str("AddressType", kind);
    s.str("AddressLine1", &a.line1);
    s.str("City", a.city);
    s.str("Region", a.region);
    s.str("PostalCode", &a.postal_code);
    s.str("Country", a.country);
    s.close("Address");
}

fn phone<S: Sink>(s: &mut S, p: &Phone) {
    s.open("Phone");
    s.str("PhoneType", p.kind);
    s.str("PhoneNumber", &p.number);
    s.str("PhoneAreaCode", &p.area);
    s.str("PhoneCountryCode", p.country);
    s.close("Phone");
}

pub fn account<S: Sink>(s: &mut S, a: &Account) {
    s.open("Account");
    s.uuid("AccountID", a.account_id);
    s.str("Code", a.code);
    s.str("Name", a.name);
    s.str("Status", a.status);
    s.str("Type", a.kind);
    s.str("TaxType", a.tax_type);
    s.str("Description", a.description);
    s.str("Class", a.class);
    if let Some(sys) = a.system_account {
        s.str("SystemAccount", sys);
    }
    s.bool("EnablePaymentsToAccount", a.enable_payments);
    s.bool("ShowInExpenseClaims", a.show_in_expense_claims);
    if let Some(n) = &a.bank_account_number {
        s.str("BankAccountNumber", n);
        s.str("BankAccountType", "BANK");
    }
    if let Some(c) = a.currency_code {
        s.str("CurrencyCode", c);
    }
    s.str("ReportingCode", a.reporting_code);
    s.str("ReportingCodeName", a.reporting_code_name);
    s.bool("HasAttachments", false);
    s.date("UpdatedDateUTC", a.updated);
    s.bool("AddToWatchlist", false);
    s.close("Account");
}

pub fn organisation<S: Sink>(s: &mut S, t: &Tenant) {
    let o = &t.organisation;
    let r = o.region;
    let nz = r.country_code == "NZ";
    s.open("Organisation");
    s.str("APIKey", &o.api_key);
    s.str("Name", &o.name);
    s.str("LegalName", &o.legal_name);
    s.bool("PaysTax", true);
    s.str("Version", r.country_code);
    s.str("OrganisationType", "COMPANY");
    s.str("BaseCurrency", r.base_currency);
    s.str("CountryCode", r.country_code);
    s.bool("IsDemoCompany", true);
    s.str("OrganisationStatus", "ACTIVE");
    s.str("RegistrationNumber", &o.registration_number);
    s.str("TaxNumber", &o.tax_number);
    s.int("FinancialYearEndDay", i64::from(r.year_end.0));
    s.int("FinancialYearEndMonth", i64::from(r.year_end.1));
    s.str("SalesTaxBasis", if nz { "PAYMENTS" } else { "ACCRUALS" });
    s.str(
        "SalesTaxPeriod",
        if nz { "TWOMONTHS" } else { "QUARTERLY1" },
    );
    s.str("DefaultSalesTax", "Tax Exclusive");
    s.str("DefaultPurchasesTax", "Tax Inclusive");
    s.date("CreatedDateUTC", o.created);
    s.str("OrganisationEntityType", "COMPANY");
    s.str("Timezone", r.timezone);
    s.str("ShortCode", &o.short_code);
    s.uuid("OrganisationID", o.organisation_id);
    s.str("Edition", "BUSINESS");
    s.str("Class", "PREMIUM");
    s.str("LineOfBusiness", o.line_of_business);
    s.open_list("Addresses");
    s.open("Address");
    s.str("AddressType", "STREET");
    s.str("AddressLine1", &o.street.0);
    s.str("City", o.street.1);
    s.str("Region", o.street.2);
    s.str("Country", r.country_name);
    s.close("Address");
    s.close_list("Addresses");
    s.empty_list("Phones");
    s.empty_list("ExternalLinks");
    s.open("PaymentTerms");
    s.close("PaymentTerms");
    s.close("Organisation");
}

#[cfg(test)]
#[path = "emit_tests.rs"]
mod tests;
