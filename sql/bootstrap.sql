-- Rotating credentials live here, in a schema no ordinary role can use. xero_fdw's functions
-- read and write it as the extension's owner after checking USAGE on the foreign server.
CREATE SCHEMA xero_fdw_private;
REVOKE ALL ON SCHEMA xero_fdw_private FROM PUBLIC;

-- One row per token set: an OAuth 2.0 consent (a Xero user's, covering every tenant they
-- connected), or an OAuth 1.0a access token (client_id holds the consumer key, access_token the
-- oauth_token). Several servers may share a token set through their token_set option.
CREATE TABLE xero_fdw_private.token_sets (
    name                    text PRIMARY KEY,
    client_id               text NOT NULL,
    access_token            text,
    access_token_expires_at timestamptz,
    refresh_token           text,
    token_secret            text,
    session_handle          text,
    scopes                  text,
    needs_reauthorization   boolean NOT NULL DEFAULT false,
    last_error              text,
    refresh_count           bigint NOT NULL DEFAULT 0,
    authorized_at           timestamptz NOT NULL DEFAULT now(),
    refreshed_at            timestamptz
);
REVOKE ALL ON xero_fdw_private.token_sets FROM PUBLIC;

-- State and PKCE verifier of an authorization started by xero_authorize_url().
CREATE TABLE xero_fdw_private.pending_authorizations (
    state         text PRIMARY KEY,
    server_name   text NOT NULL,
    token_set     text NOT NULL,
    client_id     text NOT NULL,
    redirect_uri  text NOT NULL,
    code_verifier text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON xero_fdw_private.pending_authorizations FROM PUBLIC;

-- Key material of an organisation (foreign server, by name): the OAuth 1.0a RSA private key of
-- private and partner apps, a TLS client certificate with its key (PEM), extra trusted roots.
CREATE TABLE xero_fdw_private.key_material (
    server_name     text PRIMARY KEY,
    rsa_private_key text,
    client_identity text,
    trusted_roots   text,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON xero_fdw_private.key_material FROM PUBLIC;

-- Tokens and keys are data a restore must not lose.
SELECT pg_catalog.pg_extension_config_dump('xero_fdw_private.token_sets', '');
SELECT pg_catalog.pg_extension_config_dump('xero_fdw_private.key_material', '');

COMMENT ON SCHEMA xero_fdw_private IS 'xero_fdw''s secrets: rotating tokens and key material. Only the extension''s owner can use it.';
COMMENT ON TABLE xero_fdw_private.token_sets IS 'OAuth 2.0 token sets and OAuth 1.0a access tokens, written by the token worker in its own transactions.';
COMMENT ON TABLE xero_fdw_private.pending_authorizations IS 'Authorizations started by xero_authorize_url() or xero_oauth1_request_token(): state and PKCE verifier, or the request token and its secret.';
COMMENT ON TABLE xero_fdw_private.key_material IS 'Per organisation: the OAuth 1.0a RSA private key, a TLS client certificate with its key, extra trusted roots.';
