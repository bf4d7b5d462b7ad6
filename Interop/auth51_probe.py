"""End-to-end smoke test of auth51-verifier 1.0.0's reference app, with tokens made in Python.

    .venv-auth51/bin/python Interop/auth51_probe.py [--table]

Run it with the venv's Python (it needs PyJWT, cryptography and auth51-governance); the first
`bash scripts/auth51.sh start ...` creates .venv-auth51. BATON_AUTH51_VENV is honoured.

What it does: makes an RSA signing key (kid "k1"), serves a JWKS from a thread on loopback (its
answer can be switched to a 404, non-JSON, or a JWKS with no usable key, and it counts fetches),
starts the app twice through scripts/auth51.sh under private state files (instance A with the
package's defaults, instance B with REQUIRE_POP=false, ENFORCE_VALUE_BINDING=false,
CLOCK_SKEW_SECONDS=0, POP_TIMESTAMP_SKEW_SECONDS=10), then sends one request per case and
compares the status and JSON body with what docs/AUTH51-VERIFIER.md records. Every observed
answer is the package's; the expectations below are facts about 1.0.0, defects included (a
case named "defect:" or "quirk:" passes when the defect is still there).

--table prints a Markdown table of all cases (name, request, status, body) for the doc.
Needs no network beyond loopback; takes about 10 s.
Closes with "N passed, N failed"; exits 1 if any case differs.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

try:
    import jwt
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from jwt.algorithms import ECAlgorithm, RSAAlgorithm
except ImportError:  # pragma: no cover
    sys.exit("auth51_probe: run me with the venv of scripts/auth51.sh (.venv-auth51/bin/python)")

ROOT = Path(__file__).resolve().parent.parent
ISS = "https://authority.baton.test"
SUB = "agent-1"


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def ec_thumbprint(pub: ec.EllipticCurvePublicKey) -> str:
    j = json.loads(ECAlgorithm.to_jwk(pub))
    canon = json.dumps({k: j[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True)
    return b64u(hashlib.sha256(canon.encode()).digest())


def raw_jws(header: dict, payload: dict, sign) -> str:
    h = b64u(json.dumps(header, separators=(",", ":")).encode())
    p = b64u(json.dumps(payload, separators=(",", ":")).encode())
    return f"{h}.{p}." + b64u(sign(f"{h}.{p}".encode()))


# ── keys ─────────────────────────────────────────────────────────────────────────────────
RS_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)      # the authority, kid k1
RS_KEY2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)     # rotated in as k2
EVIL_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)    # not in the JWKS
AGENT_EC = ec.generate_private_key(ec.SECP256R1())                            # the DPoP key
OTHER_EC = ec.generate_private_key(ec.SECP256R1())
AGENT_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)   # legacy PoP key
JKT = ec_thumbprint(AGENT_EC.public_key())


def rsa_jwk(pub, kid=None, **extra) -> dict:
    j = json.loads(RSAAlgorithm.to_jwk(pub))
    j.update({"use": "sig", "alg": "RS256"})
    if kid:
        j["kid"] = kid
    j.update(extra)
    return j


class JWKSServer:
    """Serves /.well-known/jwks.json; `mode` switches its answer, `hits` counts fetches."""

    def __init__(self):
        self.mode = "normal"
        self.hits = 0
        self.keys = [rsa_jwk(RS_KEY.public_key(), "k1"),
                     rsa_jwk(RS_KEY.public_key(), "k-enc", use="enc", alg="RS512"),
                     {"kty": "EC", "kid": "k-ec", **{k: v for k, v in json.loads(ECAlgorithm.to_jwk(OTHER_EC.public_key())).items() if k != "kty"}}]
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.hits += 1
                if outer.mode == "404":
                    self.send_error(404)
                    return
                body = {"normal": json.dumps({"keys": outer.keys}), "notjson": "not json",
                        "ec-only": json.dumps({"keys": [outer.keys[2]]})}[outer.mode].encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/.well-known/jwks.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


# ── tokens and proofs ─────────────────────────────────────────────────────────────────────
def claims(**over) -> dict:
    now = int(time.time())
    c = {"iss": ISS, "sub": SUB, "aud": "rs.baton.test", "iat": now, "exp": now + 300,
         "jti": "token_0001", "scope": "read:data mcp:tool:demo:read_repo",
         "cnf": {"jkt": JKT},
         "intent": {"workflow_id": "wf", "workflow_step": {"step_id": "s1", "agent_id": SUB, "tool_name": "read"},
                    "executed_by": SUB, "delegation_chain": "0" * 16, "step_sequence_hash": "0" * 16},
         "agent_proof": {"agent_checksum": "sha3-512:id1:abc", "registration_id": "reg_agent-1_0"}}
    for k, v in over.items():
        if v is DROP:
            c.pop(k, None)
        else:
            c[k] = v
    return c


DROP = object()


def token(key=RS_KEY, alg="RS256", headers=None, **over) -> str:
    h = {"kid": "k1"}
    h.update(headers or {})
    h = {k: v for k, v in h.items() if v is not DROP}
    return jwt.encode(claims(**over), key, algorithm=alg, headers=h)


def dpop(method, url, tok, key=AGENT_EC, jwk_key=None, headers=None, alg="ES256", **over) -> str:
    pub = (jwk_key or key).public_key() if not isinstance(jwk_key, dict) else None
    jwk_hdr = jwk_key if isinstance(jwk_key, dict) else json.loads(ECAlgorithm.to_jwk(pub))
    h = {"typ": "dpop+jwt", "alg": alg, "jwk": jwk_hdr}
    h.update(headers or {})
    h = {k: v for k, v in h.items() if v is not DROP}
    p = {"htm": method, "htu": url, "iat": int(time.time()), "jti": os.urandom(8).hex(),
         "ath": b64u(hashlib.sha256(tok.encode()).digest())}
    for k, v in over.items():
        if v is DROP:
            p.pop(k, None)
        else:
            p[k] = v
    if alg == "ES256":
        return jwt.encode(p, key, algorithm="ES256", headers={k: v for k, v in h.items() if k != "alg"})
    return raw_jws(h, p, lambda m: b"")


def _raw_ecdsa(key, msg: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    r, s = decode_dss_signature(key.sign(msg, ec.ECDSA(hashes.SHA256())))
    n = (key.curve.key_size + 7) // 8
    return r.to_bytes(n, "big") + s.to_bytes(n, "big")


def legacy_pop(method, url, checksum, ts, key=AGENT_RSA) -> dict:
    msg = json.dumps({"method": method, "url": url, "data": "", "checksum": checksum, "timestamp": ts},
                     sort_keys=True).encode()
    sig = key.sign(msg, padding.PKCS1v15(), hashes.SHA256())
    return {"PoP": base64.b64encode(sig).decode(), "X-PoP-Timestamp": str(ts)}


# ── the app ─────────────────────────────────────────────────────────────────────────────
class App:
    def __init__(self, name, jwks_url, *extra):
        self.state = Path(tempfile.gettempdir()) / f"baton-auth51-probe-{name}-{os.getpid()}.state"
        env = dict(os.environ, BATON_AUTH51_STATE=str(self.state),
                   BATON_AUTH51_VENV=os.environ.get("BATON_AUTH51_VENV", str(Path(sys.prefix))))
        self.env = env
        out = subprocess.run(["bash", str(ROOT / "scripts/auth51.sh"), "start", "--jwks", jwks_url,
                              "--issuer", ISS, *extra], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"auth51_probe: could not start instance {name}:\n{out.stderr}")
        self.base = out.stdout.strip()
        u = urllib.parse.urlsplit(self.base)
        self.host, self.port = u.hostname, u.port

    def stop(self):
        subprocess.run(["bash", str(ROOT / "scripts/auth51.sh"), "stop"], env=self.env)

    def url(self, path):
        return self.base + path

    def call(self, method, path, headers=None, body=None, host=None):
        c = http.client.HTTPConnection(self.host, self.port, timeout=15)
        c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        c.putheader("Host", host or f"{self.host}:{self.port}")
        data = json.dumps(body).encode() if body is not None else None
        for k, v in (headers or {}).items():
            c.putheader(k, v)
        if data is not None:
            c.putheader("Content-Type", "application/json")
            c.putheader("Content-Length", str(len(data)))
        c.endheaders(data)
        r = c.getresponse()
        raw = r.read().decode(errors="replace")
        c.close()
        try:
            return r.status, json.loads(raw)
        except ValueError:
            return r.status, raw


# ── cases ────────────────────────────────────────────────────────────────────────────────
def bearer(t):
    return {"Authorization": f"Bearer {t}"}


def good(app, path="/protected", method="GET", query="", **tok_over):
    """A token bound to AGENT_EC plus a matching DPoP proof (htu = the URL as sent, query included)."""
    t = token(**tok_over)
    return {**bearer(t), "DPoP": dpop(method, app.url(path + query), t)}


def run(a: App, b: App, jwks: JWKSServer, table: bool) -> int:
    results = []

    def case(name, request_desc, got, want_status, want_body):
        st, body = got
        ok = st == want_status and (want_body is None or body == want_body or
                                    (isinstance(want_body, str) and want_body.startswith("~") and
                                     isinstance(body, dict) and want_body[1:] in json.dumps(body)))
        results.append((name, request_desc, st, body, ok))
        if not ok:
            print(f"FAIL {name}: got {st} {body!r}, want {want_status} {want_body!r}", file=sys.stderr)

    now = int(time.time())
    P = "/protected"

    def E(msg):
        return {"error": msg}

    def D(msg):
        return {"detail": msg}

    OK = {"ok": True, "subject": SUB}

    # health, docs, routing
    case("health needs no token", "GET /health", a.call("GET", "/health"), 200, {"ok": True, "service": "auth51-verifier"})
    case("exempt prefix /health/x needs no token", "GET /health/x", a.call("GET", "/health/x"), 404, D("Not Found"))
    case("openapi is exempt", "GET /openapi.json", a.call("GET", "/openapi.json"), 200, None)
    case("unknown route without token: 401 first", "GET /nope", a.call("GET", "/nope"), 401, E("Missing bearer token"))
    case("unknown route with valid token", "GET /nope + token", a.call("GET", "/nope", bearer(token())), 404, D("Not Found"))
    case("POST to a GET route", "POST /protected + token + DPoP",
         a.call("POST", P, good(a, method="POST")), 405, D("Method Not Allowed"))

    # happy paths
    case("DPoP happy path /protected", "GET /protected, Bearer + DPoP", a.call("GET", P, good(a)), 200, OK)
    case("DPoP happy path /tool", "GET /tool, Bearer + DPoP", a.call("GET", "/tool", good(a, "/tool")), 200, OK)
    case("DPoP happy path /legacy (no scope at all)", "GET /legacy, scope \"\"",
         a.call("GET", "/legacy", good(a, "/legacy", scope="")), 200, OK)
    case("lower-case 'bearer' scheme accepted", "authorization: bearer ...",
         a.call("GET", P, {k if k != "Authorization" else "authorization": (v.replace("Bearer", "bearer") if k == "Authorization" else v)
                           for k, v in good(a).items()}), 200, OK)
    t = token()
    case("RFC 9449 'DPoP' auth scheme refused", "Authorization: DPoP <token>",
         a.call("GET", P, {"Authorization": f"DPoP {t}", "DPoP": dpop("GET", a.url(P), t)}), 401, E("Missing bearer token"))

    # middleware: bearer, kid, signature, algorithms
    case("no Authorization", "GET /protected", a.call("GET", P), 401, E("Missing bearer token"))
    case("Basic scheme", "Authorization: Basic ...", a.call("GET", P, {"Authorization": "Basic YTpi"}), 401, E("Missing bearer token"))
    case("not a JWT", "Bearer abc", a.call("GET", P, bearer("abc")), 401, E("Invalid token: Not enough segments"))
    case("no kid", "header without kid", a.call("GET", P, bearer(token(headers={"kid": DROP}))), 401, E("Missing kid"))
    case("kid not a string", "kid: 7", a.call("GET", P, bearer(raw_jws({"alg": "RS256", "kid": 7}, claims(), lambda m: b"x"))),
         401, E("Invalid token: Key ID header parameter must be a string"))
    hits = jwks.hits
    case("unknown kid", "kid: nope", a.call("GET", P, bearer(token(headers={"kid": "nope"}))), 401, E("Unknown signing key (kid=nope)"))
    a.call("GET", P, bearer(token(headers={"kid": "nope2"})))
    case("defect: every unknown kid refetches the JWKS", "2 requests, 2 unknown kids",
         (200, {"jwks_fetches": jwks.hits - hits}), 200, {"jwks_fetches": 2})
    hits = jwks.hits
    a.call("GET", P, good(a))
    case("known kid within the TTL: no fetch", "1 request kid k1", (200, {"jwks_fetches": jwks.hits - hits}), 200, {"jwks_fetches": 0})
    pem = RS_KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    case("alg none", "alg none, kid k1", a.call("GET", P, bearer(raw_jws({"alg": "none", "kid": "k1"}, claims(), lambda m: b""))),
         401, E("Invalid token: The specified alg value is not allowed"))
    case("HS256 keyed with the public key", "alg HS256, secret = SPKI PEM",
         a.call("GET", P, bearer(raw_jws({"alg": "HS256", "kid": "k1"}, claims(), lambda m: hmac.new(pem, m, hashlib.sha256).digest()))),
         401, E("Invalid token: The specified alg value is not allowed"))
    case("ES256 token under an RSA kid", "alg ES256, kid k1", a.call("GET", P, bearer(token(key=OTHER_EC, alg="ES256"))),
         401, E("Invalid token: The specified alg value is not allowed"))
    case("PS256 with the right key", "alg PS256, kid k1", a.call("GET", P, bearer(token(alg="PS256"))),
         401, E("Invalid token: The specified alg value is not allowed"))
    case("RS256 signed by a foreign key", "kid k1, other RSA key", a.call("GET", P, bearer(token(key=EVIL_RSA))),
         401, E("Invalid token: Signature verification failed"))
    case("embedded jwk header ignored", "jwk = attacker key, signed by it", a.call("GET", P, bearer(token(
        key=EVIL_RSA, headers={"jwk": rsa_jwk(EVIL_RSA.public_key())}))), 401, E("Invalid token: Signature verification failed"))
    hits = jwks.hits
    case("jku header ignored", "jku = attacker URL, signed by attacker", a.call("GET", P, bearer(token(
        key=EVIL_RSA, headers={"jku": "http://127.0.0.1:9/jwks"}))), 401, E("Invalid token: Signature verification failed"))
    case("quirk: JWK use/alg ignored", "kid k-enc (use enc, alg RS512), RS256", a.call("GET", P, {
        **good(a), **bearer(t2 := token(headers={"kid": "k-enc"})), "DPoP": dpop("GET", a.url(P), t2)}), 200, OK)
    case("EC key in JWKS is skipped", "kid k-ec (EC in JWKS)", a.call("GET", P, bearer(token(key=OTHER_EC, alg="ES256", headers={"kid": "k-ec"}))),
         401, E("Unknown signing key (kid=k-ec)"))
    case("access-token typ not checked", "typ \"id+jwt\"", a.call("GET", P, {**good(a), **bearer(t3 := token(headers={"typ": "id+jwt"})),
         "DPoP": dpop("GET", a.url(P), t3)}), 200, OK)
    case("unsupported crit header", "crit [exp]", a.call("GET", P, bearer(token(headers={"crit": ["exp"], "exp": 1}))),
         401, "~Invalid token: ")

    # time, issuer, subject
    case("expired beyond the 60 s leeway", "exp = now-61", a.call("GET", P, bearer(token(exp=now - 61))), 401, E("Token expired"))
    t = token(exp=now - 30)
    case("expired within the leeway", "exp = now-30", a.call("GET", P, {**bearer(t), "DPoP": dpop("GET", a.url(P), t)}), 200, OK)
    t = token(exp=DROP)
    case("defect: no exp is accepted", "no exp claim", a.call("GET", P, {**bearer(t), "DPoP": dpop("GET", a.url(P), t)}), 200, OK)
    t = token(exp=now + 10 * 365 * 86400)
    case("no upper bound on lifetime", "exp = now + 10 years", a.call("GET", P, {**bearer(t), "DPoP": dpop("GET", a.url(P), t)}), 200, OK)
    case("nbf in the future", "nbf = now+120", a.call("GET", P, bearer(token(nbf=now + 120))), 401, E("Invalid token: The token is not yet valid (nbf)"))
    case("iat in the future", "iat = now+120", a.call("GET", P, bearer(token(iat=now + 120))), 401, E("Invalid token: The token is not yet valid (iat)"))
    case("exp not a number", "exp: \"soon\"", a.call("GET", P, bearer(token(exp="soon"))), 401,
         E("Invalid token: Expiration Time claim (exp) must be an integer."))
    case("wrong iss", "iss other", a.call("GET", P, bearer(token(iss="https://evil.test"))), 401, E("Invalid token: Invalid issuer"))
    case("quirk: iss with a trailing slash", "iss = ISS + '/'", a.call("GET", P, bearer(token(iss=ISS + "/"))), 401, E("Invalid token: Invalid issuer"))
    case("no iss", "no iss claim", a.call("GET", P, bearer(token(iss=DROP))), 401, E('Invalid token: Token is missing the "iss" claim'))
    case("sub not a string", "sub: 5", a.call("GET", P, bearer(token(sub=5))), 401, E("Invalid token: Subject must be a string"))
    t = token(sub=DROP)
    case("no sub accepted", "no sub claim", a.call("GET", P, {**bearer(t), "DPoP": dpop("GET", a.url(P), t)}), 200, {"ok": True, "subject": None})

    # audience, scope, intent, identity: what is (not) checked
    t = token(aud="some-other-rs")
    case("defect: any audience accepted", "aud some-other-rs", a.call("GET", P, {**bearer(t), "DPoP": dpop("GET", a.url(P), t)}), 200, OK)
    t = token(aud=DROP)
    case("no aud accepted", "no aud claim", a.call("GET", P, {**bearer(t), "DPoP": dpop("GET", a.url(P), t)}), 200, OK)
    case("scope missing", "scope 'write:data'", a.call("GET", P, good(a, scope="write:data")), 403,
         D("Token lacks the required scope(s) for this operation — not authorized (read:data)"))
    case("scope prefix is not the scope", "scope 'read:datax'", a.call("GET", P, good(a, scope="read:datax")), 403, "~(read:data)")
    case("/tool scope missing", "scope 'read:data'", a.call("GET", "/tool", good(a, "/tool", scope="read:data")), 403,
         D("Token lacks the required scope(s) for this operation — not authorized (mcp:tool:demo:read_repo)"))
    case("scope as a JSON list", "scope [\"read:data\"]", a.call("GET", P, good(a, scope=["read:data"])), 200, OK)
    case("scp used when scope is empty", "scope \"\", scp \"read:data\"", a.call("GET", P, good(a, scope="", scp="read:data")), 200, OK)
    case("scope check before PoP", "scope wrong, no DPoP", a.call("GET", P, bearer(token(scope="x"))), 403, "~not authorized (read:data)")
    case("defect: no intent needed", "no intent claim", a.call("GET", P, good(a, intent=DROP)), 200, OK)
    case("defect: intent for another tool accepted", "intent.workflow_step.tool_name 'delete_repo'",
         a.call("GET", "/tool", good(a, "/tool", intent={"workflow_step": {"tool_name": "delete_repo"}})), 200, OK)
    case("defect: executed_by != sub accepted", "intent.executed_by 'agent-2'",
         a.call("GET", P, good(a, intent={"executed_by": "agent-2"})), 200, OK)
    case("defect: no agent_proof needed", "no agent_proof", a.call("GET", P, good(a, agent_proof=DROP)), 200, OK)

    # cnf dispatch
    case("no cnf with REQUIRE_POP (default)", "no cnf", a.call("GET", P, bearer(token(cnf=DROP))), 401, D("Token is not sender-constrained (no cnf)"))
    case("defect: /legacy too refuses bearer", "GET /legacy, no cnf", a.call("GET", "/legacy", bearer(token(cnf=DROP))), 401,
         D("Token is not sender-constrained (no cnf)"))
    case("empty cnf = no cnf", "cnf {}", a.call("GET", P, bearer(token(cnf={}))), 401, D("Token is not sender-constrained (no cnf)"))
    case("defect: cnf a list holding 'jkt'", "cnf [\"jkt\"]", a.call("GET", P, bearer(token(cnf=["jkt"]))), 500, "Internal Server Error")
    case("unknown cnf member", "cnf {x5t#S256}", a.call("GET", P, bearer(token(cnf={"x5t#S256": "abc"}))), 401, D("Unsupported cnf binding"))
    case("defect: cnf a string containing 'jkt'", "cnf \"jkt\"", a.call("GET", P, bearer(token(cnf="jkt"))), 500, "Internal Server Error")
    case("jkt wins over jwk", "cnf {jkt, jwk}, DPoP only", a.call("GET", P, good(a, cnf={"jkt": JKT, "jwk": rsa_jwk(AGENT_RSA.public_key())})), 200, OK)

    # DPoP
    t = token()
    U = a.url(P)

    def with_proof(proof, tok=t, path=P, query="", host=None, app=a):
        return app.call("GET", path + query, {**bearer(tok), "DPoP": proof}, host=host)

    case("DPoP missing", "no DPoP header", a.call("GET", P, bearer(t)), 401, D("Missing DPoP proof"))
    case("DPoP not a JWT", "DPoP: abc", with_proof("abc"), 401, D("Malformed DPoP proof"))
    case("DPoP typ JWT", "typ JWT", with_proof(dpop("GET", U, t, headers={"typ": "JWT"})), 401, D("DPoP proof has wrong typ"))
    case("DPoP no typ", "no typ", with_proof(dpop("GET", U, t, headers={"typ": DROP})), 401, D("DPoP proof has wrong typ"))
    case("DPoP no jwk", "no jwk", with_proof(dpop("GET", U, t, headers={"jwk": DROP})), 401, D("DPoP proof missing EC jwk"))
    case("DPoP RSA jwk", "jwk RSA", with_proof(dpop("GET", U, t, jwk_key=rsa_jwk(AGENT_RSA.public_key()))), 401, D("DPoP proof missing EC jwk"))
    case("DPoP another key", "proof by another EC key", with_proof(dpop("GET", U, t, key=OTHER_EC)), 401, D("DPoP key thumbprint != token cnf.jkt"))
    case("DPoP signature by another key", "jwk = bound key, signed by another",
         with_proof(dpop("GET", U, t, key=OTHER_EC, jwk_key=AGENT_EC)), 401, D("Invalid DPoP proof signature"))
    case("DPoP alg none", "alg none, bound jwk", with_proof(dpop("GET", U, t, alg="none")), 401, D("Invalid DPoP proof signature"))
    priv = json.loads(ECAlgorithm.to_jwk(AGENT_EC))
    case("quirk: DPoP jwk with the private key", "jwk includes d", with_proof(dpop("GET", U, t, jwk_key=priv)), 200, OK)
    case("defect: DPoP jwk member missing", "jwk without crv", with_proof(dpop("GET", U, t, jwk_key={k: v for k, v in priv.items() if k not in ("crv", "d")})),
         500, "Internal Server Error")
    p384 = ec.generate_private_key(ec.SECP384R1())
    t384 = token(cnf={"jkt": ec_thumbprint(p384.public_key())})
    case("DPoP ES256 on a P-384 key", "jwk P-384 (bound), alg ES256", with_proof(raw_jws(
        {"typ": "dpop+jwt", "alg": "ES256", "jwk": json.loads(ECAlgorithm.to_jwk(p384.public_key()))},
        {"htm": "GET", "htu": U, "iat": int(time.time()), "jti": "j", "ath": b64u(hashlib.sha256(t384.encode()).digest())},
        lambda m: _raw_ecdsa(p384, m)), tok=t384), 401, D("Invalid DPoP proof signature"))
    case("defect: DPoP htm not a string", "htm 1", with_proof(dpop("GET", U, t, htm=1)), 500, "Internal Server Error")
    case("DPoP htm POST", "htm POST", with_proof(dpop("POST", U, t)), 401, D("DPoP htm mismatch"))
    case("quirk: DPoP htm lower case", "htm get", with_proof(dpop("get", U, t)), 200, OK)
    case("DPoP htu other path", "htu /tool", with_proof(dpop("GET", a.url("/tool"), t)), 401, D("DPoP htu mismatch"))
    case("DPoP htu trailing slash", "htu /protected/", with_proof(dpop("GET", U + "/", t)), 401, D("DPoP htu mismatch"))
    case("DPoP htu host in upper case", "htu HTTP://127.0.0.1:P/...",
         with_proof(dpop("GET", U.replace("http://", "HTTP://"), t)), 401, D("DPoP htu mismatch"))
    case("DPoP htu localhost for 127.0.0.1", "htu http://localhost:P/protected",
         with_proof(dpop("GET", U.replace("127.0.0.1", "localhost"), t)), 401, D("DPoP htu mismatch"))
    case("defect: RFC htu without query refused", "GET /protected?x=1, htu without query",
         with_proof(dpop("GET", U, t), query="?x=1"), 401, D("DPoP htu mismatch"))
    case("defect: htu with the query accepted", "GET /protected?x=1, htu with ?x=1",
         with_proof(dpop("GET", U + "?x=1", t), query="?x=1"), 200, OK)
    case("defect: htu follows the Host header", "Host: rs.example, htu http://rs.example/protected",
         with_proof(dpop("GET", "http://rs.example/protected", t), host="rs.example"), 200, OK)
    case("quirk: X-Forwarded-Proto from loopback sets the htu scheme", "X-Forwarded-Proto: https, htu https://127.0.0.1:P/protected",
         a.call("GET", P, {**bearer(t), "X-Forwarded-Proto": "https", "DPoP": dpop("GET", U.replace("http://", "https://"), t)}), 200, OK)
    case("DPoP iat 301 s old", "iat now-301", with_proof(dpop("GET", U, t, iat=int(time.time()) - 301)), 401, D("DPoP proof stale or missing iat"))
    case("DPoP iat 290 s old", "iat now-290", with_proof(dpop("GET", U, t, iat=int(time.time()) - 290)), 200, OK)
    case("quirk: DPoP iat 5 s ahead", "iat now+5", with_proof(dpop("GET", U, t, iat=int(time.time()) + 5)), 401, D("Invalid DPoP proof signature"))
    case("DPoP no iat", "no iat", with_proof(dpop("GET", U, t, iat=DROP)), 401, D("DPoP proof stale or missing iat"))
    case("DPoP exp passed", "exp now-1", with_proof(dpop("GET", U, t, exp=int(time.time()) - 1)), 401, D("DPoP proof expired"))
    case("quirk: DPoP with aud", "aud in the proof", with_proof(dpop("GET", U, t, aud="x")), 401, D("Invalid DPoP proof signature"))
    case("DPoP ath wrong", "ath of another token", with_proof(dpop("GET", U, token(jti="other"))), 401, D("DPoP ath does not match the access token"))
    case("DPoP no ath", "no ath", with_proof(dpop("GET", U, t, ath=DROP)), 401, D("DPoP ath does not match the access token"))
    case("defect: DPoP without jti", "no jti", with_proof(dpop("GET", U, t, jti=DROP)), 200, OK)
    p = dpop("GET", U, t, jti="fixed")
    with_proof(p)
    case("defect: DPoP proof replayed", "same proof twice", with_proof(p), 200, OK)
    case("DPoP check order: htm before iat", "htm POST and iat stale",
         with_proof(dpop("POST", U, t, iat=int(time.time()) - 1000)), 401, D("DPoP htm mismatch"))
    case("DPoP nonce ignored", "nonce 'whatever'", with_proof(dpop("GET", U, t, nonce="whatever")), 200, OK)

    # legacy PoP
    ck = "sha3-512:id1:abc"
    lt = token(cnf={"jwk": rsa_jwk(AGENT_RSA.public_key())})

    def legacy(hdrs, tok=lt, path=P):
        return a.call("GET", path, {**bearer(tok), **hdrs})

    case("legacy PoP happy path", "PoP + X-PoP-Timestamp", legacy(legacy_pop("GET", U, ck, int(time.time()))), 200, OK)
    case("legacy PoP missing", "no PoP headers", legacy({}), 401, D("Missing PoP proof"))
    case("legacy PoP no timestamp", "PoP only", legacy({"PoP": legacy_pop("GET", U, ck, 1)["PoP"]}), 401, D("Missing PoP proof"))
    case("defect: legacy PoP timestamp from 1970", "X-PoP-Timestamp 1", legacy(legacy_pop("GET", U, ck, 1)), 200, OK)
    hp = legacy_pop("GET", U, ck, int(time.time()))
    legacy(hp)
    case("defect: legacy PoP replayed", "same headers twice", legacy(hp), 200, OK)
    case("defect: legacy PoP timestamp not a number", "X-PoP-Timestamp abc", legacy({"PoP": "AAAA", "X-PoP-Timestamp": "abc"}),
         500, "Internal Server Error")
    case("legacy PoP other URL", "signed for /tool", legacy(legacy_pop("GET", a.url("/tool"), ck, int(time.time()))), 401, D("Invalid PoP proof"))
    case("legacy PoP other checksum", "signed with another checksum", legacy(legacy_pop("GET", U, "x", int(time.time()))), 401, D("Invalid PoP proof"))
    case("legacy PoP other key", "signed by another RSA key", legacy(legacy_pop("GET", U, ck, int(time.time()), key=EVIL_RSA)), 401, D("Invalid PoP proof"))
    case("legacy PoP with an EC cnf.jwk", "cnf.jwk EC", legacy(legacy_pop("GET", U, ck, int(time.time())),
         tok=token(cnf={"jwk": json.loads(ECAlgorithm.to_jwk(OTHER_EC.public_key()))})), 401, D("Invalid PoP proof"))
    lt2 = token(cnf={"jwk": rsa_jwk(AGENT_RSA.public_key())}, agent_proof=DROP)
    case("legacy PoP without agent_proof signs checksum null", "checksum null",
         legacy(legacy_pop("GET", U, None, int(time.time())), tok=lt2), 200, OK)
    case("legacy PoP with a DPoP header only", "cnf.jwk token, DPoP proof", legacy({"DPoP": dpop("GET", U, lt)}), 401, D("Missing PoP proof"))

    # value binding (vb)
    def vbtok(vb, q):
        tt = token(vb=vb)
        return a.call("GET", P + q, {**bearer(tt), "DPoP": dpop("GET", U + q, tt)})

    le100 = {"action_hash": "", "bounds": [{"target": "amount", "op": "<=", "value": 100}]}
    case("vb bound holds (query)", "vb amount<=100, ?amount=50", vbtok(le100, "?amount=50"), 200, OK)
    case("vb bound violated", "vb amount<=100, ?amount=500", vbtok(le100, "?amount=500"), 403,
         D("Value binding violated: amount <= 100 violated (actual='500')"))
    case("vb target absent", "vb amount<=100, no amount", vbtok(le100, ""), 403,
         D("Value binding unverifiable on this request — no extractor located ['amount']"))
    from auth51_governance import compute_action_hash  # noqa: E402 — the package's own function
    h50 = compute_action_hash("refund", {"amount": 50})
    case("vb action_hash matches", "vb operation refund, hash of amount=50", vbtok({**le100, "operation": "refund", "action_hash": h50}, "?amount=50"), 200, OK)
    case("vb action_hash other value", "hash of 50, ?amount=60", vbtok({**le100, "operation": "refund", "action_hash": h50}, "?amount=60"), 403,
         D("Value binding violated: action_hash mismatch"))
    case("vb not an object", "vb \"x\"", vbtok("x", ""), 401, D("Malformed value-binding claim: 'str' object has no attribute 'get'"))
    case("vb unknown op", "op '~'", vbtok({"bounds": [{"target": "a", "op": "~", "value": 1}]}, "?a=1"), 401,
         D("Malformed value-binding claim: '~' is not a valid Op"))
    case("defect: vb dotted target always violated", "vb card.limit<=100, ?card.limit=5",
         vbtok({"bounds": [{"target": "card.limit", "op": "<=", "value": 100}]}, "?card.limit=5"), 403,
         D("Value binding violated: card.limit <= 100 violated (actual=None)"))
    case("quirk: vb 'in' on a string is a substring test", "vb c in \"abc\", ?c=b",
         vbtok({"bounds": [{"target": "c", "op": "in", "value": "abc"}]}, "?c=b"), 200, OK)
    case("vb ref without provider", "vb amount<=ref(charge.amount)",
         vbtok({"bounds": [{"target": "amount", "op": "<=", "ref": {"provider": "charge", "args": {}, "field": "amount"}}]}, "?amount=1"),
         403, D("Value binding violated: amount: reference 'charge.amount' unverifiable at the resource"))
    case("vb empty is no vb", "vb {}", vbtok({}, ""), 200, OK)

    # JWKS failures and rotation (run last on A: they change what the cache holds)
    jwks.mode = "404"
    case("JWKS answers 404 (refresh on unknown kid)", "kid k9, JWKS 404", a.call("GET", P, bearer(token(headers={"kid": "k9"}))), 500, "~Auth error: Client error '404")
    case("failed refresh keeps the old keys", "kid k1, JWKS 404", a.call("GET", P, good(a)), 200, OK)
    jwks.mode = "notjson"
    case("JWKS not JSON", "kid k9, JWKS not JSON", a.call("GET", P, bearer(token(headers={"kid": "k9"}))), 500, "~Auth error: ")
    jwks.mode = "ec-only"
    case("JWKS without RSA keys", "kid k9, JWKS EC only", a.call("GET", P, bearer(token(headers={"kid": "k9"}))), 502, E("Empty/invalid JWKS"))
    jwks.mode = "normal"
    jwks.keys.append(rsa_jwk(RS_KEY2.public_key(), "k2"))
    t = token(key=RS_KEY2, headers={"kid": "k2"})
    case("key rotation picked up on unknown kid", "kid k2 added to the JWKS", a.call("GET", P, {**bearer(t), "DPoP": dpop("GET", U, t)}), 200, OK)
    jwks.keys.pop(0)
    case("quirk: removed key stays trusted until the TTL", "k1 removed from the JWKS", a.call("GET", P, good(a)), 200, OK)

    # instance B: REQUIRE_POP=false ENFORCE_VALUE_BINDING=false CLOCK_SKEW_SECONDS=0 POP_TIMESTAMP_SKEW_SECONDS=10
    UB = b.url(P)
    tb = token(key=RS_KEY2, headers={"kid": "k2"}, cnf=DROP)
    case("B: bearer accepted without cnf", "REQUIRE_POP=false, no cnf", b.call("GET", P, bearer(tb)), 200, OK)
    case("B: /legacy bearer", "REQUIRE_POP=false, /legacy", b.call("GET", "/legacy", bearer(tb)), 200, OK)
    tb = token(key=RS_KEY2, headers={"kid": "k2"})
    case("B: cnf still enforces DPoP", "REQUIRE_POP=false, cnf.jkt, no DPoP", b.call("GET", P, bearer(tb)), 401, D("Missing DPoP proof"))
    case("B: vb not enforced", "ENFORCE_VALUE_BINDING=false, violated vb",
         b.call("GET", P + "?amount=500", {**bearer(tv := token(key=RS_KEY2, headers={"kid": "k2"}, vb=le100)), "DPoP": dpop("GET", UB + "?amount=500", tv)}), 200, OK)
    case("B: no leeway", "CLOCK_SKEW_SECONDS=0, exp now-1", b.call("GET", P, bearer(token(key=RS_KEY2, headers={"kid": "k2"}, exp=int(time.time()) - 1))),
         401, E("Token expired"))
    case("B: DPoP window 10 s", "POP_TIMESTAMP_SKEW_SECONDS=10, iat now-11",
         b.call("GET", P, {**bearer(tb), "DPoP": dpop("GET", UB, tb, iat=int(time.time()) - 11)}), 401, D("DPoP proof stale or missing iat"))

    passed = sum(1 for r in results if r[4])
    failed = len(results) - passed
    if table:
        print("| case | request | status | body |\n| --- | --- | --- | --- |")
        for name, req, st, body, ok in results:
            shown = json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body
            if len(shown) > 160:
                shown = shown[:157] + "..."
            print(f"| {name}{'' if ok else ' **(differs)**'} | {req} | {st} | `{shown}` |".replace("\n", " "))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--table", action="store_true", help="print a Markdown table of every case")
    args = ap.parse_args()
    jwks = JWKSServer()
    a = App("a", jwks.url)
    b = None
    try:
        b = App("b", jwks.url, "--require-pop", "false", "--value-binding", "false",
                "--clock-skew", "0", "--pop-skew", "10")
        return run(a, b, jwks, args.table)
    finally:
        a.stop()
        if b:
            b.stop()
        jwks.httpd.shutdown()


if __name__ == "__main__":
    sys.exit(main())
