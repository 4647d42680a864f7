#!/usr/bin/env python3
"""Writes the seed inputs of the targets that take `arbitrary` structures (fuzz/corpus/<target>/seed-*).

The raw-text targets' seeds (decode_page, xero_dates, oauth1_header) are plain files written by
hand; the others need the byte layout `arbitrary` 1.x decodes: integers little-endian from the
front, `bool` = low bit of a byte, `Option` = a bool then the value, enum variant = u32 scaled to
the variant count, collections = a `true` byte before each element and a `false` after the last,
lengths of non-final strings read from the *end* of the data (1 byte while <= 256 bytes remain,
2 bytes big-endian while <= 65537), the last field takes the rest. Check a seed with
`cargo fuzz fmt <target> corpus/<target>/seed-…`. Run from fuzz/: python3 make-seeds.py
"""
import os, struct, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "crates", "xero-mock", "tests", "keys")

# An encoding is a list of ("F", bytes) front chunks and ("L", n) lengths read from the back.
def u8(v): return [("F", bytes([v]))]
def u16(v): return [("F", struct.pack("<H", v))]
def u32(v): return [("F", struct.pack("<I", v))]
def u64(v): return [("F", struct.pack("<Q", v))]
def i64(v): return [("F", struct.pack("<q", v))]
def boolean(b): return [("F", b"\x01" if b else b"\x00")]
def raw(b): return [("F", b if isinstance(b, bytes) else b.encode())]
def string(s):
    b = s if isinstance(s, bytes) else s.encode()
    return [("L", len(b)), ("F", b)]
def option(x, enc): return boolean(False) if x is None else boolean(True) + enc(x)
def variant(k, n): return u32(-(-k * (1 << 32) // n))  # ceil(k * 2^32 / n)
def vec(items, enc, last=False):
    out = []
    for it in items:
        out += boolean(True) + enc(it)
    return out if last else out + boolean(False)
def pair(a, b): return lambda t: a(t[0]) + b(t[1])

def width(remaining):
    if remaining <= 1: return remaining
    if remaining <= 256 + 1: return 1
    if remaining <= 65535 + 2: return 2
    return 4

def layout(items):
    lens = [n for k, n in items if k == "L"]
    widths = [1] * len(lens)
    for _ in range(10):
        total = sum(len(v) for k, v in items if k == "F") + sum(widths)
        rem, new, i = total, [], 0
        for k, v in items:
            if k == "F":
                rem -= len(v)
            else:
                w = width(rem)
                new.append(w)
                rem -= w
        if new == widths: break
        widths = new
    back = b""
    for n, w in zip(lens, widths):
        assert n < 256 ** w if w else n == 0, (n, w)
        back = n.to_bytes(w, "big") + back if w else back
    return b"".join(v for k, v in items if k == "F") + back

def write(target, name, items):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(layout(items))

# error_bodies: Input { status: u16, rate_limit_problem: Option<String>, retry_after: Option<String>, body: &[u8] }
def error_body(status, body, problem=None, retry=None):
    return u16(status) + option(problem, string) + option(retry, string) + raw(body)
write("error_bodies", "api-exception", error_body(400, '{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred","Elements":[{"ValidationErrors":[{"Message":"Invalid GUID"}]}]}'))
write("error_bodies", "problem-json", error_body(401, '{"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: token expired at 01/01/2026"}'))
write("error_bodies", "rate-limit", error_body(429, "", "minute", "30"))
write("error_bodies", "oauth-problem", error_body(401, "oauth_problem=token_expired&oauth_problem_advice=The%20access%20token%20has%20expired"))
write("error_bodies", "xml", error_body(400, "<ApiException><ErrorNumber>10</ErrorNumber><Type>ValidationException</Type><Message>A validation exception occurred</Message><Elements><DataContractBase><ValidationErrors><ValidationError><Message>Bad date</Message></ValidationError></ValidationErrors></DataContractBase></Elements></ApiException>"))
write("error_bodies", "offline", error_body(503, "The Xero API is currently offline for maintenance"))

# filter_plan: Input { entity: u8, page: u32, api_url: ApiUrl { Default, Local, Custom(String) }, args: Vec<(u8, Value)> }
# Value { Timestamptz(i64), Text(String), TextList(Vec<Option<String>>), Bool(bool), Int(i64) }
def ts(v): return variant(0, 5) + i64(v)
def text(s): return variant(1, 5) + string(s)
def text_list(l): return variant(2, 5) + vec(l, lambda x: option(x, string))
def flag(b): return variant(3, 5) + boolean(b)
def integer(n): return variant(4, 5) + i64(n)
def args(entries): return vec(entries, lambda e: u8(e[0]) + e[1], last=True)
write("filter_plan", "invoices", u8(0) + u32(3) + variant(0, 3) + args([
    (0, ts(765_368_430_999_999)), (1, text('Status=="AUTHORISED" AND Total>10')), (2, text("Date DESC")),
    (3, text_list(["AUTHORISED", "PAID"])), (6, text_list(["11111111-2222-3333-4444-555555555555"])),
    (7, flag(True)), (10, integer(2))]))
write("filter_plan", "contacts-custom-url", u8(2) + u32(1) + variant(2, 3) + string("http://127.0.0.1:8080/api.xro/2.0/") + args([
    (3, text_list(["bd2270c3-8706-4c11-9cfb-000b551c3f51", None])), (5, text("Acme & Sons"))]))
write("filter_plan", "accounts-local", u8(3) + u32(1) + variant(1, 3) + args([(1, text('Type=="BANK"'))]))

# oauth2_parsers: Input { redirect: &str, status: u16, body: &[u8] }
write("oauth2_parsers", "code-and-token", string("http://localhost:9000/cb?code=4%2F0AX4XfWh&state=st8&session_state=x") + u16(200)
      + raw('{"id_token":"x","access_token":"eyJh","expires_in":1800,"token_type":"Bearer","refresh_token":"f0d9","scope":"openid offline_access"}'))
write("oauth2_parsers", "bare-code-invalid-grant", string("c0de") + u16(400) + raw('{"error":"invalid_grant"}'))
write("oauth2_parsers", "denied-unavailable", string("https://example.com/cb?error=access_denied&error_description=no&state=1") + u16(503) + raw("Service Unavailable"))

# oauth1_base_string: Input { method, url, params: Vec<(String, String)>, verify: Verify, sign: Sign }
# Verify { header, consumer_secret, token_secret, rsa_public_key_pem: Option<&str>, now_unix: u64, max_skew_seconds: u64 }
# Sign { plaintext, consumer_key, consumer_secret, token: Option<(&str, &str)>, callback, verifier, session_handle, realm: Option<&str>, nonce, timestamp: u32 }
def base_input(method, url, params, header, cs, tsec, now, sign_items):
    return (string(method) + string(url) + vec(params, pair(string, string))
            + string(header) + string(cs) + string(tsec) + option(None, string) + u64(now) + u64(300) + sign_items)
rfc_header = ('OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", '
              'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", '
              'oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"')
write("oauth1_base_string", "rfc5849-3.4.1", base_input(
    "POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", [("c2", ""), ("a3", "2 q")],
    rfc_header, "j49sk3j29djd", "dh893hdasih9", 137131201,
    boolean(False) + string("9djdj82h48djs9d2") + string("j49sk3j29djd") + option(("kkk9d7dh3k39sjv7", "dh893hdasih9"), pair(string, string))
    + option(None, string) + option(None, string) + option(None, string) + option("Example", string) + string("7d8f3e4a") + u32(137131201)))
write("oauth1_base_string", "xero-partner-renewal", base_input(
    "GET", "https://api.xero.com/api.xro/2.0/Invoices?page=1&where=Total%3E10", [],
    'OAuth oauth_consumer_key="ck", oauth_signature_method="PLAINTEXT", oauth_signature="cs%26ts"', "cs", "ts", 1700000000,
    boolean(True) + string("ck") + string("cs") + option(("tok", "ts"), pair(string, string)) + option("oob", string)
    + option("v 1", string) + option("h/2", string) + option(None, string) + string("n0nce") + u32(1700000000)))

# options: Input { context: u8, name: Name { Known(u8), Any(&str) }, value: &str }
for i, (ctx, name, value) in enumerate([
        (1, "auth", "oauth1_partner"), (1, "tenant_id", "3f1e2d4c-5b6a-4d3e-9c7a-0b8f0f0e8f3c"), (1, "api_url", "https://api.xero.com/api.xro/2.0"),
        (1, "proxy", "http://user@proxy.example:3128"), (1, "token_set", "shared-login_1"), (1, "client_secret", "s3cret"),
        (2, "client_id", "abc"), (2, "consumer_secret", " "), (0, "tenantid", "x")]):
    write("options", f"{i}-{name}", u8(ctx) + variant(1, 2) + string(name) + raw(value))

# tls_uploads: Input { password: Option<&str>, private_key_pem: Option<&str>, upload: &[u8] }
key = open(os.path.join(KEYS, "private_app.key"), "rb").read()
cert = open(os.path.join(KEYS, "private_app.cer"), "rb").read()
write("tls_uploads", "rsa-key", option(None, string) + option(None, string) + raw(key))
write("tls_uploads", "cert-pem", option(None, string) + option(None, string) + raw(cert))
write("tls_uploads", "identity-pem", option(None, string) + option(key, string) + raw(cert))
with tempfile.TemporaryDirectory() as t:
    k, c, p, d = (os.path.join(t, n) for n in ("k.pem", "c.pem", "id.p12", "c.der"))
    open(k, "wb").write(key)
    open(c, "wb").write(cert)
    subprocess.run(["openssl", "pkcs12", "-export", "-inkey", k, "-in", c, "-passout", "pass:pw", "-out", p], check=True)
    subprocess.run(["openssl", "x509", "-in", c, "-outform", "DER", "-out", d], check=True)
    write("tls_uploads", "identity-p12", option("pw", string) + option(None, string) + raw(open(p, "rb").read()))
    write("tls_uploads", "cert-der", option(None, string) + option(None, string) + raw(open(d, "rb").read()))
