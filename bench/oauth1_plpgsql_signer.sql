-- The hand-rolled way to sign OAuth 1.0a requests in PostgreSQL: PL/pgSQL on top of pgcrypto's
-- hmac(), encode(…, 'base64') and a character-by-character percent-encoder. It is the baseline
-- that bench/oauth1_signatures.sh compares xero_oauth1_authorization_header with, and it
-- produces the same header for the same inputs (the script checks this).
--
-- HMAC-SHA1 only; params is a JSON array of [name, value] pairs (form-body parameters), the
-- URL's query is decoded and signed, the base string URI normalised (RFC 5849 3.4.1.2).

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- RFC 5849 3.6: everything but A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex) of its UTF-8 bytes.
CREATE OR REPLACE FUNCTION bench_oauth1_pct(s text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    bytes bytea := convert_to(s, 'UTF8');
    out text := '';
    b int;
BEGIN
    FOR i IN 0 .. length(bytes) - 1 LOOP
        b := get_byte(bytes, i);
        IF (b BETWEEN 48 AND 57) OR (b BETWEEN 65 AND 90) OR (b BETWEEN 97 AND 122) OR b IN (45, 46, 95, 126) THEN
            out := out || chr(b);
        ELSE
            out := out || '%' || upper(lpad(to_hex(b), 2, '0'));
        END IF;
    END LOOP;
    RETURN out;
END $$;

-- Form decoding of a query-string component: '+' is a space, %XX a byte.
CREATE OR REPLACE FUNCTION bench_oauth1_pct_decode(s text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    src text := replace(s, '+', ' ');
    out bytea := '';
    i int := 1;
    n int := length(src);
    ch text;
BEGIN
    WHILE i <= n LOOP
        ch := substr(src, i, 1);
        IF ch = '%' AND i + 2 <= n THEN
            out := out || decode(substr(src, i + 1, 2), 'hex');
            i := i + 3;
        ELSE
            out := out || convert_to(ch, 'UTF8');
            i := i + 1;
        END IF;
    END LOOP;
    RETURN convert_from(out, 'UTF8');
END $$;

CREATE OR REPLACE FUNCTION bench_oauth1_plpgsql_header(
    method text, url text, params jsonb, consumer_key text, consumer_secret text,
    token text DEFAULT NULL, token_secret text DEFAULT '', nonce text DEFAULT NULL, ts bigint DEFAULT NULL)
RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    m text[];
    base_url text;
    query text;
    oauth text[][];
    pairs text[][] := ARRAY[]::text[][];
    normalized text;
    base_string text;
    signature text;
    header text := 'OAuth ';
    kv text;
    p jsonb;
BEGIN
    nonce := coalesce(nonce, encode(gen_random_bytes(16), 'hex'));
    ts := coalesce(ts, extract(epoch FROM clock_timestamp())::bigint);
    -- scheme://host[:port]/path?query#fragment
    m := regexp_match(url, '^([A-Za-z]+)://([^/?#:]+)(:[0-9]*)?([^?#]*)(\?[^#]*)?');
    base_url := lower(m[1]) || '://' || lower(m[2]);
    IF m[3] IS NOT NULL AND m[3] <> ':' AND NOT ((lower(m[1]) = 'https' AND m[3] = ':443') OR (lower(m[1]) = 'http' AND m[3] = ':80')) THEN
        base_url := base_url || m[3];
    END IF;
    base_url := base_url || CASE WHEN m[4] = '' THEN '/' ELSE m[4] END;
    query := substr(m[5], 2);
    IF query IS NOT NULL AND query <> '' THEN
        FOREACH kv IN ARRAY string_to_array(query, '&') LOOP
            CONTINUE WHEN kv = '';
            pairs := pairs || ARRAY[[bench_oauth1_pct_decode(split_part(kv, '=', 1)),
                                     bench_oauth1_pct_decode(CASE WHEN position('=' IN kv) > 0 THEN substr(kv, position('=' IN kv) + 1) ELSE '' END)]];
        END LOOP;
    END IF;
    FOR p IN SELECT * FROM jsonb_array_elements(coalesce(params, '[]')) LOOP
        pairs := pairs || ARRAY[[p->>0, p->>1]];
    END LOOP;
    oauth := ARRAY[['oauth_nonce', nonce], ['oauth_timestamp', ts::text], ['oauth_version', '1.0'],
                   ['oauth_signature_method', 'HMAC-SHA1'], ['oauth_consumer_key', consumer_key]];
    IF token IS NOT NULL THEN
        oauth := oauth || ARRAY[['oauth_token', token]];
    END IF;
    pairs := pairs || oauth;
    SELECT string_agg(n || '=' || v, '&' ORDER BY n COLLATE "C", v COLLATE "C") INTO normalized
      FROM (SELECT bench_oauth1_pct(pairs[i][1]) AS n, bench_oauth1_pct(pairs[i][2]) AS v
              FROM generate_subscripts(pairs, 1) AS i) e;
    base_string := upper(method) || '&' || bench_oauth1_pct(base_url) || '&' || bench_oauth1_pct(normalized);
    signature := encode(hmac(convert_to(base_string, 'UTF8'),
                             convert_to(bench_oauth1_pct(consumer_secret) || '&' || bench_oauth1_pct(coalesce(token_secret, '')), 'UTF8'),
                             'sha1'), 'base64');
    FOR i IN 1 .. array_length(oauth, 1) LOOP
        header := header || oauth[i][1] || '="' || bench_oauth1_pct(oauth[i][2]) || '", ';
    END LOOP;
    RETURN header || 'oauth_signature="' || bench_oauth1_pct(signature) || '"';
END $$;
