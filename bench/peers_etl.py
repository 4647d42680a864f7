"""The ETL script a user would write beside xero_fdw (bench/peers.sh runs it): page 1 tells
Xero's pageCount, the other pages are fetched five at a time (Xero's per-tenant limit) with
requests, and every invoice is COPYed into a local table with psycopg.

    python3 bench/peers_etl.py API_URL ACCESS_TOKEN TENANT_ID DSN TABLE MAX_PAGES
"""
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import psycopg
import requests

api_url, token, tenant, dsn, table, max_pages = sys.argv[1:7]
max_pages = int(max_pages)

session = requests.Session()
session.headers.update({"authorization": f"Bearer {token}", "xero-tenant-id": tenant, "accept": "application/json"})
session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=5))


# unitdp=4 as xero_fdw asks by default: without it Xero rounds unit prices to 2 decimals.
def page(n):
    r = session.get(f"{api_url}/Invoices", params={"page": n, "pageSize": 1000, "unitdp": 4}, timeout=60)
    r.raise_for_status()
    return r.json()


def xero_date(s):
    # "/Date(1711843200000+0000)/": milliseconds since 1970 UTC.
    ms = int(re.match(r"/Date\((-?\d+)", s).group(1))
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).date()


def rows(body):
    for i in body["Invoices"]:
        yield (i["InvoiceID"], i.get("InvoiceNumber"), i["Type"], i["Status"], i["Contact"]["ContactID"],
               xero_date(i["Date"]), i["Total"], i["AmountDue"], json.dumps(i.get("LineItems", [])))


first = page(1)
pages = min(first["pagination"]["pageCount"], max_pages)
with psycopg.connect(dsn) as conn, conn.cursor() as cur:
    with cur.copy(f"COPY {table} (invoice_id, invoice_number, type, status, contact_id, date, total, amount_due, line_items) FROM STDIN") as copy:
        for row in rows(first):
            copy.write_row(row)
        with ThreadPoolExecutor(max_workers=5) as pool:
            for body in pool.map(page, range(2, pages + 1)):
                for row in rows(body):
                    copy.write_row(row)
