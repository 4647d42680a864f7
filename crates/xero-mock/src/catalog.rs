//! Fixed vocabularies the generator draws from: regions, the chart of accounts
//! (modelled on Xero's demo company), goods and services, and name parts.

use crate::model::Region;

pub static NZ: Region = Region {
    country_code: "NZ",
    country_name: "New Zealand",
    base_currency: "NZD",
    // (currency, units of it per NZD in millionths): the range the rates wander around.
    foreign_currencies: [("AUD", 910_000), ("USD", 600_000)],
    tax_percent: 15,
    sales_tax_type: "OUTPUT2",
    purchase_tax_type: "INPUT2",
    no_tax_type: "NONE",
    timezone: "NEWZEALANDSTANDARDTIME",
    year_end: (31, 3),
    cities: &[
        ("Wellington", "Wellington"),
        ("Auckland", "Auckland"),
        ("Christchurch", "Canterbury"),
        ("Hamilton", "Waikato"),
        ("Dunedin", "Otago"),
        ("Tauranga", "Bay of Plenty"),
        ("Napier", "Hawke's Bay"),
        ("Nelson", "Nelson"),
    ],
    phone_country_code: "64",
    email_domain: "co.nz",
};

pub static AU: Region = Region {
    country_code: "AU",
    country_name: "Australia",
    base_currency: "AUD",
    foreign_currencies: [("NZD", 1_090_000), ("USD", 650_000)],
    tax_percent: 10,
    sales_tax_type: "OUTPUT",
    purchase_tax_type: "INPUT",
    no_tax_type: "BASEXCLUDED",
    timezone: "AUSEASTERNSTANDARDTIME",
    year_end: (30, 6),
    cities: &[
        ("Sydney", "NSW"),
        ("Melbourne", "VIC"),
        ("Brisbane", "QLD"),
        ("Perth", "WA"),
        ("Adelaide", "SA"),
        ("Hobart", "TAS"),
        ("Canberra", "ACT"),
    ],
    phone_country_code: "61",
    email_domain: "com.au",
};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tax {
    Sales,
    Purchases,
    None,
}

pub struct AccountDef {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub class: &'static str,
    pub tax: Tax,
    pub system_account: Option<&'static str>,
    pub reporting_code: &'static str,
    pub description: &'static str,
}

const fn acct(
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    class: &'static str,
    tax: Tax,
    reporting_code: &'static str,
    description: &'static str,
) -> AccountDef {
    AccountDef {
        code,
        name,
        kind,
        class,
        tax,
        system_account: None,
        reporting_code,
        description,
    }
}

const fn system(mut a: AccountDef, system_account: &'static str) -> AccountDef {
    a.system_account = Some(system_account);
    a
}

pub static ACCOUNTS: &[AccountDef] = &[
    acct("090", "Business Bank Account", "BANK", "ASSET", Tax::None, "ASS", ""),
    acct("091", "Business Savings Account", "BANK", "ASSET", Tax::None, "ASS", ""),
    acct("200", "Sales", "REVENUE", "REVENUE", Tax::Sales, "REV.TRA.GOO", "Income from any normal business activity"),
    acct("260", "Other Revenue", "REVENUE", "REVENUE", Tax::Sales, "REV.OTH", "Any other income that does not relate to normal business activities and is not recurring"),
    acct("270", "Interest Income", "REVENUE", "REVENUE", Tax::None, "REV.INV.INT", "Interest income"),
    acct("310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE", Tax::Purchases, "EXP.COS", "Cost of goods sold by the business"),
    acct("400", "Advertising", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.ADV", "Expenses incurred for advertising while trying to increase sales"),
    acct("404", "Bank Fees", "OVERHEADS", "EXPENSE", Tax::None, "EXP.BAN", "Fees charged by your bank for transactions regarding your bank account(s)."),
    acct("408", "Cleaning", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.CLE", "Expenses incurred for cleaning business property."),
    acct("412", "Consulting & Accounting", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.PRO.ACC", "Expenses related to paying consultants"),
    acct("420", "Entertainment", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.ENT", "Expenses paid by company for the business but are not deductable for income tax purposes."),
    acct("425", "Freight & Courier", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.FRE", "Expenses incurred on courier & freight costs"),
    acct("429", "General Expenses", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.GEN", "General expenses related to the running of the business."),
    acct("433", "Insurance", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.INS", "Expenses incurred for insuring the business' assets"),
    acct("445", "Light, Power, Heating", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.LIG", "Expenses incurred for lighting, powering or heating the premises"),
    acct("449", "Motor Vehicle Expenses", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.VEH", "Expenses incurred on the running of company motor vehicles"),
    acct("461", "Printing & Stationery", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.PRI", "Expenses incurred by the entity as a result of printing and stationery"),
    acct("469", "Rent", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.REN", "The payment to lease a building or area."),
    acct("473", "Repairs and Maintenance", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.REP", "Expenses incurred on a damaged or run down asset that will bring the asset back to its original condition."),
    acct("477", "Wages and Salaries", "EXPENSE", "EXPENSE", Tax::None, "EXP.EMP.WAG", "Payment to employees in exchange for their resources"),
    acct("485", "Subscriptions", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.SUB", "E.g. Magazines, professional bodies"),
    acct("489", "Telephone & Internet", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.TEL", "Expenditure incurred from any business-related phone calls, phone lines, or internet connections"),
    acct("493", "Travel - National", "OVERHEADS", "EXPENSE", Tax::Purchases, "EXP.TRA.NAT", "Expenses incurred from domestic travel which has a business purpose"),
    acct("494", "Travel - International", "OVERHEADS", "EXPENSE", Tax::None, "EXP.TRA.INT", "Expenses incurred from international travel which has a business purpose"),
    system(acct("610", "Accounts Receivable", "CURRENT", "ASSET", Tax::None, "ASS.CUR.REC.TRA", "Outstanding invoices the company has issued out to the client but has not yet received in cash at balance date."), "DEBTORS"),
    acct("620", "Prepayments", "PREPAYMENT", "ASSET", Tax::None, "ASS.CUR.REC.PRE", "An expenditure that has been paid for in advance."),
    acct("710", "Office Equipment", "FIXED", "ASSET", Tax::Purchases, "ASS.NCA.FIX.OWN", "Office equipment that is owned and controlled by the business"),
    acct("720", "Computer Equipment", "FIXED", "ASSET", Tax::Purchases, "ASS.NCA.FIX.OWN", "Computer equipment that is owned and controlled by the business"),
    system(acct("800", "Accounts Payable", "CURRLIAB", "LIABILITY", Tax::None, "LIA.CUR.PAY.TRA", "Outstanding invoices the company has received from suppliers but has not yet paid at balance date"), "CREDITORS"),
    system(acct("820", "GST", "CURRLIAB", "LIABILITY", Tax::None, "LIA.CUR.TAX.GST", "The balance in this account represents GST owing to or from the tax authority."), "GST"),
    acct("830", "Income Tax", "CURRLIAB", "LIABILITY", Tax::None, "LIA.CUR.TAX.INC", "The amount of income tax that is due to be paid, plus the tax expense for the period."),
    system(acct("960", "Retained Earnings", "EQUITY", "EQUITY", Tax::None, "EQU.RET", "Do not Use"), "RETAINEDEARNINGS"),
    acct("970", "Owner A Funds Introduced", "EQUITY", "EQUITY", Tax::None, "EQU.ADJ.OWN", "Funds contributed by the owner"),
];

/// The one account generated as ARCHIVED (real charts always carry a few).
pub const ARCHIVED_ACCOUNT: &str = "494";

/// A sale: (ItemCode, Description, account code, unit price range in cents).
pub type SalesLine = (Option<&'static str>, &'static str, &'static str, (i64, i64));

/// Goods and services sold on ACCREC invoices.
pub static SALES_LINES: &[SalesLine] = &[
    (
        Some("DEV-HR"),
        "Development work - hourly rate",
        "200",
        (12_000, 18_500),
    ),
    (
        Some("CONS-HR"),
        "Consulting services - hourly rate",
        "200",
        (15_000, 24_000),
    ),
    (
        Some("SUP-MO"),
        "Monthly support retainer",
        "200",
        (45_000, 180_000),
    ),
    (
        Some("HOST-YR"),
        "Website hosting - annual plan",
        "200",
        (24_000, 96_000),
    ),
    (
        Some("TRAIN-DAY"),
        "On-site training day",
        "200",
        (120_000, 250_000),
    ),
    (
        Some("LIC-STD"),
        "Software licence - standard seat",
        "200",
        (4_900, 19_900),
    ),
    (
        Some("GB1-White"),
        "Golf balls - white single",
        "200",
        (499, 699),
    ),
    (
        Some("BOOK"),
        "Fish out of Water: Finding Your Brand",
        "200",
        (1_995, 2_995),
    ),
    (None, "Design of brand guidelines", "200", (85_000, 320_000)),
    (None, "Project management", "200", (9_500, 14_500)),
    (None, "Travel recharged to client", "260", (8_000, 65_000)),
    (None, "Late payment fee", "260", (2_500, 5_000)),
];

/// Things bought on ACCPAY bills: (Description, account code, unit price range in cents).
pub static PURCHASE_LINES: &[(&str, &str, (i64, i64))] = &[
    ("Office rent", "469", (180_000, 420_000)),
    ("Electricity", "445", (12_000, 48_000)),
    ("Printer paper & toner", "461", (2_500, 18_000)),
    ("Mobile & broadband", "489", (8_900, 32_000)),
    ("Flights Wellington - Auckland", "493", (12_900, 46_000)),
    ("Client lunch", "420", (4_500, 38_000)),
    ("Online advertising campaign", "400", (25_000, 150_000)),
    ("Courier charges", "425", (1_200, 9_500)),
    ("Office cleaning", "408", (9_000, 36_000)),
    ("Annual accounts preparation", "412", (90_000, 350_000)),
    ("Business insurance premium", "433", (40_000, 260_000)),
    ("Fuel", "449", (6_000, 19_000)),
    ("Stock purchases", "310", (20_000, 400_000)),
    ("Laptop", "720", (140_000, 390_000)),
    ("Cloud software subscription", "485", (2_900, 29_900)),
    ("Plumbing repair", "473", (12_000, 98_000)),
    ("Bank account fee", "404", (500, 2_500)),
];

pub static COMPANY_WORDS: &[&str] = &[
    "Ridgeway",
    "Bayside",
    "Harbour",
    "Kowhai",
    "Summit",
    "Pinnacle",
    "Southern",
    "Tasman",
    "Rimu",
    "Coastal",
    "Northern",
    "Kauri",
    "Silverfern",
    "Matai",
    "Pohutukawa",
    "Alpine",
    "Wairau",
    "Totara",
    "Meridian",
    "Bluegum",
    "Ironbark",
    "Westport",
    "Redwood",
    "Lakeside",
];

pub static COMPANY_TRADES: &[&str] = &[
    "Consulting",
    "Traders",
    "Electrical",
    "Plumbing",
    "Design Studio",
    "Logistics",
    "Hardware",
    "Catering",
    "Marketing",
    "Legal",
    "Motors",
    "Print & Copy",
    "Software",
    "Builders",
    "Gardening",
    "Accountants",
    "Café",
    "Engineering",
    "Joinery",
    "Physiotherapy",
];

pub static COMPANY_SUFFIXES: &[&str] = &["Ltd", "Limited", "Co", "Group", ""];

pub static FIRST_NAMES: &[&str] = &[
    "Aroha", "Ben", "Chloe", "Daniel", "Emma", "Finn", "Grace", "Hemi", "Isla", "Jack", "Kiri",
    "Liam", "Mia", "Noah", "Olivia", "Priya", "Quinn", "Ruby", "Sam", "Tama", "Wei", "Zoe",
];

pub static LAST_NAMES: &[&str] = &[
    "Anderson",
    "Brown",
    "Chen",
    "Davies",
    "Edwards",
    "Ngata",
    "Patel",
    "Singh",
    "Smith",
    "Taylor",
    "Thompson",
    "Walker",
    "Wilson",
    "Young",
    "O'Brien",
    "Müller",
    "Tūhoe-Clark",
];

pub static STREETS: &[&str] = &[
    "Queen Street",
    "Lambton Quay",
    "Victoria Street",
    "High Street",
    "George Street",
    "Cuba Street",
    "Ponsonby Road",
    "Main Road",
    "Beach Road",
    "Church Street",
];
