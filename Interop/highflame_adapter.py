#!/usr/bin/env python3
"""Baton testee adapter for `highflame` 0.10.0, ZeroID's Python SDK (module `highflame.zeroid`).

Speaks `baton-testee/1` (docs/TESTEE-PROTOCOL.md): one JSON request per line on
stdin, one JSON answer per line on stdout, logs on stderr. Profile `zeroid`,
role `verifier` only: the SDK's offline verification of ZeroID access tokens,
`ZeroIDClient(base_url).tokens.verify(token, audience)`, judged on what it
accepts and refuses and on what it reads from the tokens it accepts.

  verify -> the request's `jwks` (JSON text, the ZeroID service's keys) is served on
            loopback by a small http.server thread on 127.0.0.1, at
            http://127.0.0.1:PORT/k/<sha256 of the JWKS>/.well-known/jwks.json, and a
            ZeroIDClient(base_url="http://127.0.0.1:PORT/k/<sha256>") is made once per
            distinct JWKS (the SDK fetches {base_url}/.well-known/jwks.json with PyJWT's
            PyJWKClient and caches keys for 5 minutes, so a client never sees another
            scenario's keys). Then tokens.verify(token, audience=A), where A is the
            request's `audience` or, when it has none, the service's `issuer` (a ZeroID
            token's aud is always [issuer], and that is what a ZeroID resource server
            passes). With a `required_scope`, identity.require_scope(scope) on the
            identity verify returned.

What highflame checks (verifier.py, _TokenVerifier.verify): a non-empty token; a key
from the JWKS chosen by the header's kid; PyJWT's decode with algorithms RS256 and
ES256, `exp`, `iat` and `sub` required, exp/nbf/iat against the clock with no leeway,
and aud when an audience is given. It takes no issuer, so `iss` is never checked. It
reads mission_id, act and delegation_depth without checking them against each other,
and has_scope reads the `scopes` array only (a `scope` string beside it is ignored).
There is no depth limit in the SDK (ZeroIDIdentity has delegation_depth and
is_delegated(), nothing that compares them with a maximum): the request's `max_depth`
is not checked by the adapter either; highflame is judged on what it does. Nor can
tokens.verify be told a mission to refuse: a request whose `profile_settings` lists
`refused_missions` is answered `unsupported`. The
identity it read (sub, current_actor(), prior_actors(), principal_type(), legacy or
rfc8693, human(), delegation_depth, is_delegated(), scopes, mission_id) is reported in
`details` and in the answer's `message`, so reports show what it understood.

Errors: highflame raises ZeroIDError with `.code` missing_token, token_expired,
invalid_signature (for every other PyJWT failure: bad signature, wrong algorithm,
malformed, audience, not yet valid, missing claim, unknown kid), network_error, and
insufficient_scope from require_scope. The adapter maps the code, refined by the PyJWT
exception highflame chains (`raise ZeroIDError(...) from exc`), to Baton's jwt_* codes
and steps J0-J8 (see outcome()); highflame's code and message are kept in `message`.

Time: highflame's verify reads the clock only through PyJWT (jwt.api_jwt's
datetime.now()). For each request with `now` that is frozen and restored afterwards.
The "clock" option is declared only if a self-test at handshake shows the freeze
works (an ES256 token verified through the loopback JWKS at exp - 1 and refused with
token_expired at exp).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import hashlib
import http.server
import importlib.metadata
import json
import sys
import threading
import traceback
import urllib.request

import jwt
import jwt.api_jwt
from cryptography.hazmat.primitives.asymmetric import ec
from highflame.zeroid import ZeroIDClient
from highflame.zeroid.errors import ZeroIDError

PROTOCOL = "baton-testee/1"
PROFILE = "zeroid"
MAX_MESSAGE = 2000
MAX_CLIENTS = 16
OUT = sys.stdout

# PyJWKClient fetches with urllib.request.urlopen: the loopback JWKS must never go through a proxy.
urllib.request.install_opener(urllib.request.build_opener(urllib.request.ProxyHandler({})))


def log(text: str) -> None:
    sys.stderr.write(f"highflame-adapter: {text}\n")
    sys.stderr.flush()


class Unsupported(Exception):
    pass


class BadRequest(Exception):
    pass


# MARK: clock


class _FrozenDatetime(_dt.datetime):
    frozen: float = 0.0

    @classmethod
    def now(cls, tz=None):
        return _dt.datetime.fromtimestamp(cls.frozen, tz)


@contextlib.contextmanager
def frozen_clock(now):
    """PyJWT's datetime.now() answers `now` during the block."""
    if now is None:
        yield
        return
    real = jwt.api_jwt.datetime
    _FrozenDatetime.frozen = float(now)
    jwt.api_jwt.datetime = _FrozenDatetime
    try:
        yield
    finally:
        jwt.api_jwt.datetime = real


# MARK: the loopback JWKS


class JWKSServer:
    """Serves each JWKS it is given at /k/<sha256>/.well-known/jwks.json on 127.0.0.1."""

    def __init__(self):
        self.documents: dict[str, bytes] = {}
        documents = self.documents

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = self.path.split("/")
                body = None
                if len(parts) == 5 and parts[1] == "k" and parts[3] == ".well-known" and parts[4] == "jwks.json":
                    body = documents.get(parts[2])
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, name="jwks", daemon=True).start()

    def base_url(self, jwks_text: str) -> str:
        digest = hashlib.sha256(jwks_text.encode()).hexdigest()
        self.documents[digest] = jwks_text.encode()
        return f"http://127.0.0.1:{self.port}/k/{digest}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


_SERVER: JWKSServer | None = None
_CLIENTS: dict[str, ZeroIDClient] = {}  # base URL -> client (one per distinct JWKS)


def client_for(jwks_text: str) -> ZeroIDClient:
    global _SERVER
    if _SERVER is None:
        _SERVER = JWKSServer()
    url = _SERVER.base_url(jwks_text)
    c = _CLIENTS.get(url)
    if c is None:
        c = ZeroIDClient(base_url=url)
        _CLIENTS[url] = c
        while len(_CLIENTS) > MAX_CLIENTS:
            _CLIENTS.pop(next(iter(_CLIENTS)))
    return c


# MARK: verify


def outcome(e: ZeroIDError) -> tuple[str, str]:
    """(jwt_* code, J step) for a highflame refusal: its code, refined by the PyJWT exception it chained."""
    code, cause = e.code, e.__cause__
    if code == "missing_token":
        return "jwt_token_missing", "J0"
    if code == "token_expired":
        return "jwt_expired", "J4"
    if code == "insufficient_scope":
        return "jwt_scope_insufficient", "J8"
    if code == "invalid_signature":
        if isinstance(cause, jwt.InvalidAudienceError):
            return "jwt_audience_mismatch", "J5"
        if isinstance(cause, jwt.ImmatureSignatureError):
            return "jwt_not_yet_valid", "J4"
        if isinstance(cause, jwt.InvalidIssuerError):
            return "jwt_issuer_mismatch", "J3"
        if isinstance(cause, jwt.MissingRequiredClaimError):
            if cause.claim == "exp":
                return "jwt_expired", "J4"
            return "jwt_malformed", "J1"
        if isinstance(cause, jwt.InvalidIssuedAtError):
            return "jwt_malformed", "J1"
        if isinstance(cause, (jwt.InvalidSignatureError, jwt.InvalidAlgorithmError, jwt.PyJWKClientError)):
            return "jwt_signature_invalid", "J2"
        if isinstance(cause, jwt.DecodeError):
            return "jwt_malformed", "J1"
        return "jwt_signature_invalid", "J2"
    return "jwt_malformed", "J1"


def understood(identity) -> str:
    """What highflame read from a token it accepted."""
    custom = identity.custom or {}
    fields = [
        f"sub={identity.sub}",
        f"profile={'legacy' if identity.is_legacy_profile() else 'rfc8693'}",
        f"principal_type={identity.principal_type()!r}",
        f"current_actor={identity.current_actor()}",
        f"prior_actors={list(identity.prior_actors())}",
        f"human={identity.human()}",
        f"delegation_depth={identity.delegation_depth}",
        f"is_delegated={identity.is_delegated()}",
        f"scopes={list(identity.scopes)}",
        f"mission_id={custom.get('mission_id')}",
        f"iss={identity.iss}",
        f"aud={list(identity.aud)}",
    ]
    return "highflame read: " + " ".join(fields)


def op_verify(p: dict) -> dict:
    if p.get("profile") != PROFILE:
        raise Unsupported(f"profile {p.get('profile')}: highflame verifies ZeroID tokens only")
    jwks = p.get("jwks")
    if not isinstance(jwks, str) or not jwks:
        raise BadRequest("verify needs the ZeroID service's jwks (JSON text)")
    settings = p.get("profile_settings")
    if isinstance(settings, str) and settings:
        try:
            refused = json.loads(settings).get("refused_missions")
        except (ValueError, AttributeError):
            raise BadRequest("profile_settings is not a JSON object")
        if refused:
            raise Unsupported("tokens.verify takes no mission to refuse (the SDK reads mission_id only into ZeroIDIdentity.custom)")
    audience = p.get("audience") or p.get("issuer")
    token = p.get("token")
    client = client_for(jwks)
    try:
        with frozen_clock(p.get("now")):
            identity = client.tokens.verify(token or "", audience=audience)
        scope = p.get("required_scope")
        if scope:
            identity.require_scope(scope)
    except ZeroIDError as e:
        if e.code in ("network_error", "configuration_error"):
            raise  # the adapter's loopback JWKS failed: not a judgement on the token
        code, step = outcome(e)
        cause = f" ({type(e.__cause__).__name__})" if e.__cause__ is not None else ""
        return {"valid": False, "code": code, "step": step, "message": f"ZeroIDError {e.code}{cause}: {e.message}"[:MAX_MESSAGE]}
    text = understood(identity)
    return {"valid": True, "details": [text], "message": text[:MAX_MESSAGE]}


# MARK: handshake


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def clock_self_test() -> bool:
    """An ES256 token through the loopback JWKS: valid at exp - 1, token_expired at exp."""
    try:
        key = ec.generate_private_key(ec.SECP256R1())
        nums = key.public_key().public_numbers()
        jwk = {"kty": "EC", "crv": "P-256", "kid": "self-test", "alg": "ES256", "use": "sig",
               "x": b64url(nums.x.to_bytes(32, "big")), "y": b64url(nums.y.to_bytes(32, "big"))}
        t0 = 1_900_000_000
        token = jwt.encode({"sub": "s", "iat": t0, "exp": t0 + 10, "aud": "https://self-test"}, key,
                           algorithm="ES256", headers={"kid": "self-test"})
        client = client_for(json.dumps({"keys": [jwk]}))
        with frozen_clock(t0 + 9):
            client.tokens.verify(token, audience="https://self-test")
        try:
            with frozen_clock(t0 + 10):
                client.tokens.verify(token, audience="https://self-test")
            return False
        except ZeroIDError as e:
            return e.code == "token_expired"
    except Exception:
        log("clock self-test failed: " + traceback.format_exc())
        return False


def op_handshake(p: dict) -> dict:
    if p.get("protocol") != PROTOCOL:
        raise BadRequest(f"protocol {p.get('protocol')!r} is not {PROTOCOL}")
    return {
        "name": "highflame",
        "version": importlib.metadata.version("highflame"),
        "profiles": [PROFILE],
        "roles": ["verifier"],
        "options": ["clock"] if clock_self_test() else [],
    }


OPS = {"handshake": op_handshake, "verify": op_verify}


def handle_line(text: str):
    try:
        req = json.loads(text)
    except json.JSONDecodeError:
        return {"id": 0, "ok": False, "error": {"code": "bad_request", "message": "not JSON"}}, False
    rid = req.get("id", 0) if isinstance(req, dict) else 0
    if not isinstance(req, dict) or not isinstance(req.get("params", {}), dict):
        return {"id": rid, "ok": False, "error": {"code": "bad_request", "message": "not a request object"}}, False
    op, params = req.get("op"), req.get("params") or {}
    if op == "shutdown":
        return {"id": rid, "ok": True, "result": {}}, True
    fn = OPS.get(op)
    if fn is None:
        return {"id": rid, "ok": False, "error": {"code": "unsupported", "message": f"op {op!r}: highflame is tested as a verifier only"}}, False
    try:
        return {"id": rid, "ok": True, "result": fn(params)}, False
    except Unsupported as e:
        return {"id": rid, "ok": False, "error": {"code": "unsupported", "message": str(e)[:MAX_MESSAGE]}}, False
    except BadRequest as e:
        return {"id": rid, "ok": False, "error": {"code": "bad_request", "message": str(e)[:MAX_MESSAGE]}}, False
    except Exception as e:
        log(traceback.format_exc())
        return {"id": rid, "ok": False, "error": {"code": "internal_error", "message": f"{type(e).__name__}: {e}"[:MAX_MESSAGE]}}, False


def main() -> int:
    try:
        while True:
            raw = sys.stdin.buffer.readline()
            if not raw:
                return 0
            text = raw.decode("utf-8", errors="replace").strip()
            if not text:
                continue
            answer, stop = handle_line(text)
            OUT.write(json.dumps(answer, sort_keys=True, separators=(",", ":")) + "\n")
            OUT.flush()
            if stop:
                return 0
    except (KeyboardInterrupt, BrokenPipeError):
        return 0
    finally:
        if _SERVER is not None:
            _SERVER.close()


if __name__ == "__main__":
    sys.exit(main())
