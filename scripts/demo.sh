#!/usr/bin/env bash
# The demo, from a fresh machine of this kind: installs what is missing, builds and installs
# xero_fdw into PostgreSQL 15, starts a throwaway cluster and the bundled Xero-compatible server
# (its demo organisation), authorizes the organisation through the OAuth 2.0 code flow, and
# prints overdue receivables joined with a local CRM table. Nothing leaves this machine.
#   scripts/demo.sh          run, print, clean up
#   scripts/demo.sh --keep   leave the cluster and server running to explore with psql
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
keep=${1:-}

echo "== building the bundled Xero server and the extension (release; the first build takes a few minutes)"
source scripts/bundled.sh
build_release

echo "== starting PostgreSQL 15 and the bundled Xero server on 127.0.0.1"
if [ "$keep" = "--keep" ]; then KEEP=1; fi
start_throwaway demo --invoices 3000 --contacts 80

psql_demo() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_demo -d postgres -c "CREATE DATABASE demo"

echo "== registering the organisation (a foreign server) and authorizing it"
psql_demo -d demo <<SQL
CREATE EXTENSION xero_fdw;
CREATE SERVER acme FOREIGN DATA WRAPPER xero_fdw
    OPTIONS (api_url '$xero/api.xro/2.0', identity_url '$xero', login_url '$xero');
CREATE USER MAPPING FOR PUBLIC SERVER acme OPTIONS (client_id 'demo-client', client_secret 'demo-secret');
SQL
consent_url=$(psql_demo -d demo -Atc "SELECT xero_authorize_url('acme', 'http://localhost:8080/xero/callback')")
echo "consent URL: ${consent_url:0:100}..."
# The browser step: the bundled server consents at once and redirects with a code.
redirected=$(curl -s -o /dev/null -w '%{redirect_url}' "$consent_url")
psql_demo -d demo -c "SELECT tenant_name, tenant_id FROM xero_complete_authorization('acme', '$redirected')"
tenant=$(psql_demo -d demo -Atc "SELECT tenant_id FROM xero_tenants('acme') WHERE tenant_name = 'Demo Company (NZ)'")
psql_demo -d demo -c "ALTER SERVER acme OPTIONS (ADD tenant_id '$tenant')"

echo "== overdue receivables by account manager: Xero invoices joined with a local CRM table"
psql_demo -d demo <<'SQL'
CREATE TABLE crm_accounts (xero_contact_id uuid PRIMARY KEY, account_manager text NOT NULL);
INSERT INTO crm_accounts
SELECT contact_id, (ARRAY['Aroha Ngata', 'Ben Carter', 'Chen Wei', 'Divya Rao'])[1 + abs(hashtext(name)) % 4]
FROM xero_contacts('acme');

\timing on
SELECT a.account_manager,
       count(*)                                   AS overdue_invoices,
       sum(i.amount_due)                          AS amount_due,
       max(current_date - i.due_date)             AS oldest_days_overdue
FROM xero_invoices('acme', statuses => '{AUTHORISED}', where_clause => 'Type=="ACCREC"') AS i
JOIN crm_accounts AS a ON a.xero_contact_id = i.contact_id
WHERE i.due_date < current_date AND i.amount_due > 0
GROUP BY a.account_manager
ORDER BY amount_due DESC;
SQL

if [ "$keep" = "--keep" ]; then
    echo "== left running: psql -h 127.0.0.1 -p $port -U postgres demo   (bundled Xero: $xero, pid $mock_pid; data in $work)"
    echo "   stop both with: kill $mock_pid; scripts/cluster.sh stop $work/pg"
fi
