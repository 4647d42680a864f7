//! Writing contacts (the hand-built model), and the contact a document names.
//!
//! `Name` is required and unique across active contacts (Xero's rule, ignoring case);
//! deleting a contact is archiving it (`ContactStatus: ARCHIVED`), after which it is listed
//! only with `includeArchived=true`, and restoring it (`ACTIVE`) checks the name again.
//! A document naming a contact by `ContactID` must name an existing one; by `Name` alone
//! it takes the active contact of that name, or creates one, as Xero does.

use serde_json::Value;

use crate::intern::intern;
use crate::model::{Address, Contact, Phone, Tenant};
use crate::writes::{Answer, Cx, Done, Mode};
use crate::writes_target::{self, OwnId};
use crate::writes_values::{self as wv, Problems};

/// The contact a document names.
pub enum ContactRef {
    Existing(u32),
    /// A name no active contact has: created when the document is.
    New(String),
}

impl ContactRef {
    pub fn commit(self, cx: &mut Cx, t: &mut Tenant) -> u32 {
        match self {
            ContactRef::Existing(i) => i,
            ContactRef::New(name) => {
                let mut c = blank(cx, t, name);
                c.contact_id = cx.new_id();
                t.contacts.push(c);
                (t.contacts.len() - 1) as u32
            }
        }
    }
}

/// The contact a nested `Contact` object names (`ContactID`, else `ContactNumber`, else `Name`).
pub fn resolve(t: &Tenant, v: &Value, p: &mut Problems) -> Option<ContactRef> {
    if let Some(id) = wv::uuid(v, "ContactID", p) {
        return match t.contacts.iter().position(|c| c.contact_id == id) {
            Some(i) => Some(ContactRef::Existing(i as u32)),
            None => {
                p.add(writes_target::not_found("Contact", "ContactID", id));
                None
            }
        };
    }
    if let Some(n) = wv::nonblank(v, "ContactNumber") {
        if let Some(i) = t.contacts.iter().position(|c| c.contact_number == n) {
            return Some(ContactRef::Existing(i as u32));
        }
    }
    match wv::nonblank(v, "Name") {
        Some(name) => Some(match active_named(t, &name, None) {
            Some(i) => ContactRef::Existing(i as u32),
            None => ContactRef::New(name),
        }),
        None => {
            p.add("A Contact must be specified for this type of transaction");
            None
        }
    }
}

/// The active contact called `name` (ignoring case), other than `except`.
fn active_named(t: &Tenant, name: &str, except: Option<usize>) -> Option<usize> {
    t.contacts
        .iter()
        .enumerate()
        .position(|(i, c)| Some(i) != except && !c.archived && c.name.eq_ignore_ascii_case(name))
}

fn empty_address(region: &crate::model::Region) -> Address {
    Address {
        line1: String::new(),
        city: "",
        region: "",
        postal_code: String::new(),
        country: region.country_name,
    }
}

/// A new contact with only a name (its id is drawn when it is created); Xero lists its
/// empty phone numbers and addresses.
fn blank(cx: &Cx, t: &Tenant, name: String) -> Contact {
    let region = t.organisation.region;
    let phone = |kind| Phone {
        kind,
        number: String::new(),
        area: String::new(),
        country: "",
    };
    Contact {
        contact_id: crate::ids::Uuid(0),
        contact_number: String::new(),
        account_number: None,
        archived: false,
        name,
        first_name: String::new(),
        last_name: String::new(),
        email: String::new(),
        bank_account: String::new(),
        tax_number: None,
        street: empty_address(region),
        postal: empty_address(region),
        phones: [phone("DEFAULT"), phone("MOBILE"), phone("FAX")],
        is_customer: false,
        is_supplier: false,
        default_currency: None,
        website: None,
        has_attachments: false,
        updated: cx.stamp,
    }
}

pub fn write(cx: &mut Cx, t: &mut Tenant, sent: Vec<Value>, mode: &Mode) -> Answer {
    let find = |_: &Cx, t: &Tenant, id: &str| {
        crate::ids::Uuid::parse(id).and_then(|u| t.contacts.iter().position(|c| c.contact_id == u))
    };
    writes_target::write(
        cx,
        t,
        sent,
        mode,
        ("Contacts", "Contact"),
        find,
        |cx, t, v, path| one(cx, t, v, mode, path),
    )
}

fn one(
    cx: &mut Cx,
    t: &mut Tenant,
    v: &Value,
    mode: &Mode,
    path_target: Option<usize>,
) -> Result<Done, Problems> {
    let mut p = Problems::default();
    let own = OwnId {
        field: "ContactID",
        doc: "Contact",
        sent: wv::uuid(v, "ContactID", &mut p),
    };
    let target = own.target(
        path_target,
        mode.put,
        |id| t.contacts.iter().position(|c| c.contact_id == *id),
        |id| format!("ContactID '{id}' cannot be given when creating a contact (PUT); use POST to update one."),
        &mut p,
    )?;
    let mut c = match target {
        Some(i) => t.contacts[i].clone(),
        None => {
            let name = wv::nonblank(v, "Name").unwrap_or_default();
            blank(cx, t, name)
        }
    };
    apply(t, &mut c, v, &mut p);
    if c.name.trim().is_empty() {
        p.add("Contact name must be specified.");
    } else if !c.archived && active_named(t, &c.name, target).is_some() {
        p.add(format!(
            "The contact name {} is already assigned to another contact. The contact name must be unique across all active contacts.",
            c.name
        ));
    }
    if !p.is_empty() {
        return Err(p);
    }
    c.updated = cx.stamp;
    Ok(match target {
        Some(i) => {
            t.contacts[i] = c;
            Done::Contact(t.contacts[i].contact_id)
        }
        None => {
            c.contact_id = cx.new_id();
            let id = c.contact_id;
            t.contacts.push(c);
            Done::Contact(id)
        }
    })
}

/// The fields the element sends, over the contact as it is.
fn apply(t: &Tenant, c: &mut Contact, v: &Value, p: &mut Problems) {
    let set = |name: &str, slot: &mut String| {
        if let Some(s) = wv::text(v, name) {
            *slot = s.trim().to_string();
        }
    };
    set("Name", &mut c.name);
    set("FirstName", &mut c.first_name);
    set("LastName", &mut c.last_name);
    set("EmailAddress", &mut c.email);
    set("ContactNumber", &mut c.contact_number);
    set("BankAccountDetails", &mut c.bank_account);
    if !c.email.is_empty() && !valid_email(&c.email) {
        p.add("Email address must be valid.");
    }
    if wv::present(v, "AccountNumber") {
        c.account_number = wv::nonblank(v, "AccountNumber");
    }
    if wv::present(v, "TaxNumber") {
        c.tax_number = wv::nonblank(v, "TaxNumber");
    }
    if let Some(s) = wv::one_of(
        v,
        "ContactStatus",
        &["ACTIVE", "ARCHIVED", "GDPRREQUEST"],
        p,
    ) {
        match s {
            "GDPRREQUEST" => p.add("ContactStatus GDPRREQUEST cannot be set through the API."),
            s => c.archived = s == "ARCHIVED",
        }
    }
    if let Some(b) = wv::boolean(v, "IsCustomer", p) {
        c.is_customer = b;
    }
    if let Some(b) = wv::boolean(v, "IsSupplier", p) {
        c.is_supplier = b;
    }
    if let Some(cur) = wv::nonblank(v, "DefaultCurrency") {
        let region = t.organisation.region;
        let known = cur.eq_ignore_ascii_case(region.base_currency)
            || region
                .foreign_currencies
                .iter()
                .any(|(c, _)| c.eq_ignore_ascii_case(&cur));
        if known {
            c.default_currency = Some(intern(&cur.to_ascii_uppercase()));
        } else {
            p.add(format!(
                "The currency code '{cur}' is not valid for this organisation."
            ));
        }
    }
    for a in wv::list(v, "Addresses") {
        let slot = match wv::text(a, "AddressType")
            .map(|s| s.to_ascii_uppercase())
            .as_deref()
        {
            Some("POBOX") => &mut c.postal,
            Some("STREET") => &mut c.street,
            _ => {
                p.add("AddressType must be POBOX or STREET.");
                continue;
            }
        };
        if let Some(s) = wv::text(a, "AddressLine1") {
            slot.line1 = s;
        }
        if let Some(s) = wv::text(a, "City") {
            slot.city = intern(&s);
        }
        if let Some(s) = wv::text(a, "Region") {
            slot.region = intern(&s);
        }
        if let Some(s) = wv::text(a, "PostalCode") {
            slot.postal_code = s;
        }
        if let Some(s) = wv::text(a, "Country") {
            slot.country = intern(&s);
        }
    }
    for ph in wv::list(v, "Phones") {
        let kind = wv::text(ph, "PhoneType")
            .unwrap_or_default()
            .to_ascii_uppercase();
        let Some(slot) = c.phones.iter_mut().find(|x| x.kind == kind) else {
            // DDI and OFFICE numbers are not modelled; Xero accepts them, so no problem.
            continue;
        };
        if let Some(s) = wv::text(ph, "PhoneNumber") {
            slot.number = s;
        }
        if let Some(s) = wv::text(ph, "PhoneAreaCode") {
            slot.area = s;
        }
        if let Some(s) = wv::text(ph, "PhoneCountryCode") {
            slot.country = intern(&s);
        }
    }
}

/// Xero's check is loose: something, an `@`, a domain with a dot.
fn valid_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(' ')
        }
        None => false,
    }
}
