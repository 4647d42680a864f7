-- The do-it-in-SQL way (bench/peers.sh): a PL/Python function fetches the pages one after
-- another with urllib and lands each page with one INSERT … SELECT over its JSON.
CREATE EXTENSION IF NOT EXISTS plpython3u;

CREATE OR REPLACE FUNCTION land_invoices_plpython(api_url text, token text, tenant text, target regclass, max_pages int)
RETURNS bigint LANGUAGE plpython3u AS $$
import json, urllib.request
insert = plpy.prepare(f"""
    INSERT INTO {target} (invoice_id, invoice_number, type, status, contact_id, date, total, amount_due, line_items)
    SELECT (i->>'InvoiceID')::uuid, i->>'InvoiceNumber', i->>'Type', i->>'Status', (i->'Contact'->>'ContactID')::uuid,
           (to_timestamp(substring(i->>'Date' from '\((-?\d+)')::bigint / 1000.0) AT TIME ZONE 'UTC')::date,
           (i->>'Total')::numeric, (i->>'AmountDue')::numeric, coalesce(i->'LineItems', '[]')
    FROM jsonb_array_elements($1::jsonb->'Invoices') i""", ["text"])
landed, page, pages = 0, 1, 1
while page <= min(pages, max_pages):
    req = urllib.request.Request(f"{api_url}/Invoices?page={page}&pageSize=1000&unitdp=4",
        headers={"authorization": f"Bearer {token}", "xero-tenant-id": tenant, "accept": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        body = r.read().decode()
    pages = json.loads(body)["pagination"]["pageCount"]
    landed += plpy.execute(insert, [body]).nrows()
    page += 1
return landed
$$;
