//! Deterministic demo organisations: chart of accounts, contacts and organisation
//! details (invoices are in `data_invoices.rs`). Everything derives from the seed
//! and the tenant index, never from the wall clock.
//!
//! A few records deliberately carry the odd date forms real Xero data has:
//! - account `960 Retained Earnings`: `UpdatedDateUTC` `/Date(0+0000)/`;
//! - account `970 Owner A Funds Introduced`: `/Date(-62135596800000+0000)/` (.NET's `DateTime.MinValue`);
//! - contact `C-0002`: `UpdatedDateUTC` with a `+1300` offset (New Zealand daylight time);
//! - contact `C-0003`: `UpdatedDateUTC` without any offset (`/Date(1439434356790)/` style);
//! - contact `C-0004`: a negative epoch, `/Date(-86400000+0000)/` (1969-12-31);
//! - invoice 7 (index 6): `UpdatedDateUTC` with `+1300`; invoice 9 (index 8): without offset.

use crate::catalog::{self, Tax};
use crate::dates::{days_from_civil, XeroDate, MS_PER_DAY};
use crate::ids::Rng;
use crate::model::{Account, Address, Contact, Organisation, Phone, Region, Tenant};

/// Builds every tenant; tenants are independent, so they are generated in parallel.
pub fn generate(seed: u64, tenants: usize, contacts: usize, invoices: usize) -> Vec<Tenant> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..tenants)
            .map(|t| scope.spawn(move || tenant(seed, t, contacts, invoices)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("data generation panicked"))
            .collect()
    })
}

fn tenant(seed: u64, index: usize, contacts: usize, invoices: usize) -> Tenant {
    let region = if index == 0 {
        &catalog::NZ
    } else {
        &catalog::AU
    };
    let mut rng = Rng::new(seed, index, "tenant");
    let tenant_id = rng.uuid();
    let connection_id = rng.uuid();
    let branding_themes = [rng.uuid(), rng.uuid()];
    let organisation = organisation(&mut rng, index, region);
    let accounts = accounts(seed, index, region);
    // Invoices need someone to be addressed to.
    let contact_count = if invoices > 0 {
        contacts.max(1)
    } else {
        contacts
    };
    let mut contacts = make_contacts(seed, index, region, contact_count);
    let mut invoices = crate::data_invoices::generate(
        seed,
        index,
        region,
        &accounts,
        &mut contacts,
        branding_themes,
        invoices,
    );
    crate::data_credits::allocate(seed, index, &mut invoices);
    Tenant {
        tenant_id,
        connection_id,
        organisation,
        accounts,
        contacts,
        invoices,
    }
}

fn organisation(rng: &mut Rng, index: usize, region: &'static Region) -> Organisation {
    let name = if index == 0 {
        "Demo Company (NZ)".to_string()
    } else {
        format!("Demo Company {} ({})", index + 1, region.country_code)
    };
    let short_code: String = std::iter::once('!')
        .chain((0..5).map(|_| *rng.pick(&ALNUM) as char))
        .collect();
    let api_key: String = (0..30)
        .map(|_| rng.pick(&ALNUM).to_ascii_uppercase() as char)
        .collect();
    let (city, state) = *rng.pick(region.cities);
    Organisation {
        organisation_id: rng.uuid(),
        legal_name: format!("{name} Limited"),
        name,
        short_code,
        registration_number: format!("{}", rng.range(1_000_000, 9_999_999)),
        tax_number: format!(
            "{:03}-{:03}-{:03}",
            rng.range(10, 999),
            rng.range(0, 999),
            rng.range(0, 999)
        ),
        region,
        created: XeroDate::utc(
            days_from_civil(2023, 11, 20) * MS_PER_DAY + rng.range(0, MS_PER_DAY - 1),
        ),
        api_key,
        line_of_business: "Professional services",
        street: (
            format!("{} {}", rng.range(1, 300), rng.pick(catalog::STREETS)),
            city,
            state,
        ),
    }
}

const ALNUM: [u8; 36] = *b"abcdefghijklmnopqrstuvwxyz0123456789";

fn accounts(seed: u64, index: usize, region: &'static Region) -> Vec<Account> {
    let mut rng = Rng::new(seed, index, "accounts");
    let chart_start = days_from_civil(2023, 1, 1) * MS_PER_DAY;
    catalog::ACCOUNTS
        .iter()
        .map(|def| {
            let account_id = rng.uuid();
            let updated = match def.code {
                "960" => XeroDate::utc(0),
                "970" => XeroDate::utc(-62_135_596_800_000),
                _ => XeroDate::utc(chart_start + rng.range(0, 300 * MS_PER_DAY)),
            };
            let bank = def.kind == "BANK";
            Account {
                account_id,
                code: def.code,
                name: def.name,
                kind: def.kind,
                class: def.class,
                status: if def.code == catalog::ARCHIVED_ACCOUNT {
                    "ARCHIVED"
                } else {
                    "ACTIVE"
                },
                description: def.description,
                tax_type: match def.tax {
                    Tax::Sales => region.sales_tax_type,
                    Tax::Purchases => region.purchase_tax_type,
                    Tax::None => region.no_tax_type,
                },
                system_account: def.system_account,
                reporting_code: def.reporting_code,
                reporting_code_name: def.name,
                bank_account_number: bank.then(|| bank_account(&mut rng, region)),
                currency_code: bank.then_some(region.base_currency),
                enable_payments: bank,
                show_in_expense_claims: def.class == "EXPENSE" && def.tax == Tax::Purchases,
                updated,
            }
        })
        .collect()
}

fn bank_account(rng: &mut Rng, region: &Region) -> String {
    if region.country_code == "NZ" {
        format!(
            "{:02}-{:04}-{:07}-{:02}",
            rng.range(1, 38),
            rng.range(1, 9999),
            rng.range(0, 9_999_999),
            rng.range(0, 99)
        )
    } else {
        format!(
            "{:03}-{:03} {:08}",
            rng.range(10, 999),
            rng.range(0, 999),
            rng.range(0, 99_999_999)
        )
    }
}

fn make_contacts(seed: u64, index: usize, region: &'static Region, count: usize) -> Vec<Contact> {
    let mut rng = Rng::new(seed, index, "contacts");
    let mut seen = std::collections::HashSet::new();
    let start = days_from_civil(2024, 1, 1) * MS_PER_DAY;
    (0..count)
        .map(|i| {
            let contact_id = rng.uuid();
            let first = *rng.pick(catalog::FIRST_NAMES);
            let last = *rng.pick(catalog::LAST_NAMES);
            let person = rng.chance(20);
            let base_name = if person {
                format!("{first} {last}")
            } else {
                let suffix = rng.pick(catalog::COMPANY_SUFFIXES);
                let core = format!(
                    "{} {}",
                    rng.pick(catalog::COMPANY_WORDS),
                    rng.pick(catalog::COMPANY_TRADES)
                );
                if suffix.is_empty() {
                    core
                } else {
                    format!("{core} {suffix}")
                }
            };
            // Xero enforces unique contact names within an organisation.
            let mut name = base_name.clone();
            let mut n = 2;
            while !seen.insert(name.clone()) {
                name = format!("{base_name} ({n})");
                n += 1;
            }
            let slug: String = name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_lowercase();
            let email = if person {
                format!(
                    "{}.{}@{}mail.{}",
                    ascii(first),
                    ascii(last),
                    &slug[..1],
                    region.email_domain
                )
            } else {
                format!("accounts@{slug}.{}", region.email_domain)
            };
            let (city, state) = *rng.pick(region.cities);
            let postal_code = format!("{:04}", rng.range(1000, 9999));
            let area = format!("{}", rng.range(2, 9));
            let updated = match i {
                1 => XeroDate {
                    ms: start + rng.range(0, 600) * MS_PER_DAY,
                    offset: Some(1300),
                },
                2 => XeroDate {
                    ms: start + rng.range(0, 600 * MS_PER_DAY),
                    offset: None,
                },
                3 => XeroDate::utc(-MS_PER_DAY),
                _ => XeroDate::utc(start + rng.range(0, 1000 * MS_PER_DAY)),
            };
            Contact {
                contact_id,
                contact_number: format!("C-{:04}", i + 1),
                account_number: rng
                    .chance(30)
                    .then(|| format!("A-{:05}", rng.range(1, 99_999))),
                archived: i % 20 == 7,
                first_name: first.to_string(),
                last_name: last.to_string(),
                email,
                bank_account: bank_account(&mut rng, region),
                tax_number: (!person && rng.chance(60)).then(|| {
                    format!(
                        "{:03}-{:03}-{:03}",
                        rng.range(10, 999),
                        rng.range(0, 999),
                        rng.range(0, 999)
                    )
                }),
                street: Address {
                    line1: format!("{} {}", rng.range(1, 400), rng.pick(catalog::STREETS)),
                    city,
                    region: state,
                    postal_code: postal_code.clone(),
                    country: region.country_name,
                },
                postal: Address {
                    line1: format!("PO Box {}", rng.range(100, 99_999)),
                    city,
                    region: state,
                    postal_code,
                    country: region.country_name,
                },
                phones: [
                    phone(&mut rng, "DEFAULT", &area, region),
                    phone(&mut rng, "MOBILE", "21", region),
                    phone(&mut rng, "FAX", &area, region),
                ],
                is_customer: false,
                is_supplier: false,
                default_currency: rng.chance(10).then(|| region.foreign_currencies[0].0),
                website: (!person && rng.chance(50))
                    .then(|| format!("https://www.{slug}.{}", region.email_domain)),
                has_attachments: rng.chance(5),
                updated,
                name,
            }
        })
        .collect()
}

fn ascii(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_lowercase()
}

fn phone(rng: &mut Rng, kind: &'static str, area: &str, region: &Region) -> Phone {
    Phone {
        kind,
        number: format!("{:03} {:04}", rng.range(200, 999), rng.range(0, 9999)),
        area: area.to_string(),
        country: region.phone_country_code,
    }
}
