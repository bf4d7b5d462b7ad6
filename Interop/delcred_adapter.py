#!/usr/bin/env python3
"""Baton testee adapter for the PyPI package `delcred` 0.2.0 (MIT).

Speaks `baton-testee/1` (docs/TESTEE-PROTOCOL.md): one JSON request per line on
stdin, one JSON answer per line on stdout, logs on stderr. Profile
`token-exchange`, roles `sts` (delcred's exchange service) and `verifier`
(delcred's verify). It drives delcred's own Python API with one delcred home
per Baton session and reports what delcred did; Baton judges.

  sts_setup    -> a fresh delcred home (a temporary directory): Baton's seeded
                  Ed25519 key written as delcred's issuer key (issuer.key, PKCS#8
                  PEM, 0600), so `sign: sts` forgeries are signed by the key delcred
                  trusts; its JWKS and its fixed issuer "delcred" are answered.
  sts_login    -> delcred.user_token(principal, ttl): the person's subject token.
                  The person's authorization becomes delcred's policy, the only
                  thing that lets delcred mint: a grant (principal, agent) for every
                  registered agent allowed the token-exchange grant, with scopes =
                  the agent's registration ∩ the login's scopes (∩ delegable_scopes),
                  resources = the registered agents' URIs (delcred's RFC 8707
                  `resource`, Baton's `audience`), max_ttl = the token lifetime.
  sts_exchange -> delcred.exchange.exchange(subject_token, actor_token, scope,
                  resource=audience, ttl=token lifetime): one hop, user -> agent.
  verify       -> delcred.exchange.verify(token, expected_resource=audience): alg EdDSA only, iss
                  "delcred" (its key), signature, exp/nbf/iat with 60 s leeway, required
                  claims, kind "delegation", act.sub, aud, revocation. It has no scope or
                  depth check (it returns the claims; the caller decides), so required_scope
                  and max_depth are not checked here either: delcred is judged on what it
                  does. (Every scenario that reaches J7 or J8 needs a second hop, skipped.)

Agents are named by their workload URI (delcred's agent id = act.sub = the URI).

The actor token. delcred takes no actor assertion signed by the agent: its
actor_token is an agent identity token that delcred itself issued (kind "agent",
iss "delcred", signed by the issuer key; `delcred agent-token NAME`), a bearer
credential. Baton's actor assertion is therefore translated into the agent token
delcred would have issued for it: an honest assertion (signed by the agent's
registered key, iss = sub, aud = the service, with a jti) becomes
tokens.mint_agent_token(agent, ttl = exp - iat) minted at its iat, once per
assertion (a replayed assertion is the same agent token presented again); an
assertion naming an unregistered agent becomes an agent token for that name
(delcred mints for any name; its grants decide); an unparsable one is passed as
it is. What has no delcred form is answered `unsupported` (the scenario is
skipped, never passed): an assertion signed with another key, iss != sub, another
audience, no jti, an agent registered without a key.

Also `unsupported`: ES256 (delcred signs and accepts EdDSA only); a grant_type,
subject_token_type or actor_token_type other than RFC 8693's (delcred's exchange
takes none of these parameters); a second hop (delcred refuses a delegation token
as subject_token: "No chained delegation. may_act is deferred to v2", its README).
Delcred's own refusals are judged, never skipped: a missing scope is passed as ""
(delcred refuses it), a missing subject or actor token as None.

Errors: delcred raises ExchangeError / PolicyError (exchange) and TokenError
subclasses / ExchangeError (verify) with a message and no code; `delcred serve`
answers 403 {"error": message}. The adapter maps them to OAuth / jwt_* codes by
class and by the exception delcred chained (PyJWT's), see EXCHANGE_ERRORS and
verify_outcome(); the message is kept.

Time: delcred reads time.time() (tokens, revocation, audit) and PyJWT
datetime.now() (jwt.api_jwt). For each request both are frozen at `now`. The
"clock" option is declared only if a self-test at handshake shows the freeze
works. delcred keeps 60 s of leeway (CLOCK_SKEW_LEEWAY) on exp/nbf/iat; it is
not changed.

Determinism: delcred draws each jti from secrets.token_urlsafe(16). So that
reports are byte-identical run to run, tokens._new_jti is replaced by a
function of the session and a counter (still unique per session; each session
has its own home, its own denylist).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import hashlib
import json
import shutil
import sys
import tempfile
import time as _time
import traceback

import delcred
import jwt
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from delcred import exchange as dc_exchange
from delcred import tokens as dc_tokens
from delcred.policy import PolicyError
from delcred.tokens import ExpiredToken, InvalidToken, TokenError

PROTOCOL = "baton-testee/1"
PROFILE = "token-exchange"
EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
JWT_TYPES = {"urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:access_token"}
MAX_MESSAGE = 2000
MAX_SESSIONS = 4
OUT = sys.stdout


def log(text: str) -> None:
    sys.stderr.write(f"delcred-adapter: {text}\n")
    sys.stderr.flush()


class Unsupported(Exception):
    pass


class BadRequest(Exception):
    pass


class Refusal(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# MARK: clock and jti


class _FrozenDatetime(_dt.datetime):
    frozen: float = 0.0

    @classmethod
    def now(cls, tz=None):
        return _dt.datetime.fromtimestamp(cls.frozen, tz)


@contextlib.contextmanager
def frozen_clock(now):
    """time.time() and PyJWT's datetime.now() answer `now` during the block."""
    if now is None:
        yield
        return
    real_time, real_dt = _time.time, jwt.api_jwt.datetime
    _FrozenDatetime.frozen = float(now)
    _time.time = lambda: float(now)
    jwt.api_jwt.datetime = _FrozenDatetime
    try:
        yield
    finally:
        _time.time = real_time
        jwt.api_jwt.datetime = real_dt


class JtiSource:
    """Replaces tokens._new_jti: urlsafe base64 of SHA-256(session, counter), 22 characters like delcred's."""

    def __init__(self):
        self.session = ""
        self.counter = 0

    def __call__(self) -> str:
        self.counter += 1
        digest = hashlib.sha256(f"{self.session}#{self.counter}".encode()).digest()[:16]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")


JTI = JtiSource()
dc_tokens._new_jti = JTI


# MARK: sessions


class Session:
    def __init__(self, name: str, params: dict):
        self.name = name
        self.home = tempfile.mkdtemp(prefix="baton-delcred.")
        self.token_lifetime = int(params.get("token_lifetime") or 900)
        self.delegable = params.get("delegable_scopes")
        self.agents = {}  # uri -> agent entry
        self.by_name = {}  # name -> uri
        for a in params.get("agents") or []:
            self.agents[a["uri"]] = a
            self.by_name[a["name"]] = a["uri"]
        self.agent_tokens = {}  # actor assertion text -> delcred agent token
        self.jti_counter = 0

    def close(self):
        shutil.rmtree(self.home, ignore_errors=True)

    @contextlib.contextmanager
    def active(self):
        JTI.session, JTI.counter = self.name, self.jti_counter
        try:
            yield self.home_path
        finally:
            self.jti_counter = JTI.counter

    @property
    def home_path(self):
        from pathlib import Path

        return Path(self.home)


SESSIONS: dict[str, Session] = {}


def session_of(params: dict) -> Session:
    s = SESSIONS.get(params.get("session") or "")
    if s is None:
        raise BadRequest("no sts_setup for this session")
    return s


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def op_sts_setup(p: dict) -> dict:
    if p.get("profile") not in (None, PROFILE):
        raise Unsupported(f"profile {p.get('profile')}: delcred is an RFC 8693-style token service only")
    if p.get("algorithm") != "EdDSA":
        raise Unsupported(f"delcred signs and accepts EdDSA (Ed25519) only, not {p.get('algorithm')}")
    seed = bytes.fromhex(p.get("signing_key") or "")
    if len(seed) != 32:
        raise BadRequest("signing_key must be a 32-byte Ed25519 seed")
    name = p.get("session") or ""
    old = SESSIONS.pop(name, None)
    if old:
        old.close()
    s = Session(name, p)
    SESSIONS[name] = s
    while len(SESSIONS) > MAX_SESSIONS:  # scenarios run one after another: keep the last few homes
        SESSIONS.pop(next(iter(SESSIONS))).close()
    key = Ed25519PrivateKey.from_private_bytes(seed)
    priv_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pub_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    from delcred._common import write_private
    from delcred.keys import key_paths

    priv_path, pub_path = key_paths(s.home_path)
    write_private(priv_path, priv_pem)
    pub_path.write_bytes(pub_pem)
    write_policy(s, [])
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwks = {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "alg": "EdDSA", "use": "sig"}]}
    return {
        "issuer": dc_tokens.ISSUER_ID,
        "jwks": jwks,
        "layout": "rfc8693",
        "identities": {a["name"]: a["uri"] for a in s.agents.values()},
    }


def write_policy(s: Session, grants: list) -> None:
    data = {
        "agents": {uri: {"description": a["name"]} for uri, a in s.agents.items()},
        "users": {g["user"]: {} for g in grants},
        "grants": grants,
    }
    (s.home_path / "policy.yaml").write_text(yaml.safe_dump(data, sort_keys=True))


def op_sts_login(p: dict) -> dict:
    s = session_of(p)
    principal = p.get("principal") or ""
    login_scopes = list(p.get("scopes") or [])
    grants = []
    for uri, a in sorted(s.agents.items()):
        if EXCHANGE_GRANT not in (a.get("grant_types") or []):
            continue
        scopes = [x for x in a.get("scopes") or [] if x in login_scopes]
        if s.delegable is not None:
            scopes = [x for x in scopes if x in s.delegable]
        grants.append(
            {
                "user": principal,
                "agent": uri,
                "scopes": scopes,
                "resources": sorted(s.agents),
                "max_ttl": s.token_lifetime,
                "single_use": False,
            }
        )
    write_policy(s, grants)
    with s.active() as home, frozen_clock(p.get("now")):
        token = delcred.user_token(principal, ttl=int(p.get("ttl_seconds") or 900), base=home)
    return {"token": token}


def actor_token_for(s: Session, assertion, now) -> object:
    """delcred's agent token standing for Baton's actor assertion (see the module docstring)."""
    if assertion is None:
        return None
    if assertion in s.agent_tokens:
        return s.agent_tokens[assertion]
    try:
        header = jwt.get_unverified_header(assertion)
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        return assertion  # not a JWT: delcred gets it as it is
    if not isinstance(claims, dict) or not isinstance(header, dict):
        return assertion
    sub, iss = claims.get("sub"), claims.get("iss")
    if iss != sub:
        raise Unsupported("an actor assertion with iss != sub has no delcred form (its actor_token is an agent token it issued, iss \"delcred\")")
    if "jti" not in claims:
        raise Unsupported("an actor assertion without jti has no delcred form (its agent tokens always carry one)")
    if claims.get("aud") != dc_tokens.ISSUER_ID:
        raise Unsupported("an actor assertion for another audience has no delcred form (its agent tokens carry no aud)")
    agent = s.agents.get(sub)
    if agent is not None:
        pem = agent.get("public_key_pem")
        if not pem:
            raise Unsupported("delcred agents have no keys of their own: an agent registered without a key has no delcred form")
        try:
            jwt.decode(
                assertion,
                pem,
                algorithms=["EdDSA"],
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False},
            )
        except jwt.PyJWTError:
            raise Unsupported(
                "an actor assertion signed with a key other than the agent's has no delcred form "
                "(its actor_token is an agent token signed by delcred's own issuer key)"
            )
    iat = claims.get("iat", now)
    exp = claims.get("exp")
    if not isinstance(iat, int) or not isinstance(exp, int):
        raise Unsupported("an actor assertion without integer iat and exp has no delcred form")
    with s.active() as home, frozen_clock(iat):
        token = dc_tokens.mint_agent_token(sub, ttl=exp - iat, base=home)
    s.agent_tokens[assertion] = token
    return token


# OAuth error per delcred exception class and message prefix (delcred gives no codes).
EXCHANGE_ERRORS = [
    (dc_exchange.ExchangeError, "subject_token rejected", "invalid_request"),  # RFC 8693 §2.2.2
    (dc_exchange.ExchangeError, "actor_token rejected", "invalid_request"),
    (dc_exchange.ExchangeError, "subject_token must identify a user", "invalid_request"),
    (dc_exchange.ExchangeError, "actor token has kind", "invalid_request"),
    (dc_exchange.ExchangeError, "user is revoked", "invalid_grant"),
    (dc_exchange.ExchangeError, "agent is revoked", "invalid_grant"),
    (PolicyError, "no delegation grant", "unauthorized_client"),
    (PolicyError, "scope must not be empty", "invalid_scope"),
    (PolicyError, "scope(s) not granted", "invalid_scope"),
    (PolicyError, "resource", "invalid_target"),
    (PolicyError, "", "invalid_request"),
    (dc_exchange.ExchangeError, "", "invalid_request"),
]


def op_sts_exchange(p: dict) -> dict:
    s = session_of(p)
    now = p.get("now")
    params = {}
    for pair in p.get("parameters") or []:
        if isinstance(pair, list) and len(pair) == 2:
            params.setdefault(pair[0], pair[1])
    if params.get("grant_type") != EXCHANGE_GRANT:
        raise Unsupported(f"delcred's exchange takes no grant_type (it is always a token exchange), so {params.get('grant_type')!r} cannot be sent")
    for name in ("subject_token_type", "actor_token_type"):
        if name in params and params[name] not in JWT_TYPES:
            raise Unsupported(f"delcred's exchange takes no {name}, so {params[name]!r} cannot be sent")
    actor = actor_token_for(s, params.get("actor_token"), now)
    subject = params.get("subject_token")
    try:
        with s.active() as home, frozen_clock(now):
            result = dc_exchange.exchange(
                subject_token=subject,
                actor_token=actor,
                scope=params.get("scope", ""),
                resource=params.get("audience", ""),
                ttl=s.token_lifetime,
                base=home,
            )
    except (dc_exchange.ExchangeError, PolicyError) as e:
        message = str(e)
        if message.startswith("subject_token must identify a user") and delegation_subject(subject):
            raise Unsupported(
                "delcred delegates one hop (user -> agent): a delegation token is refused as subject_token "
                "(\"No chained delegation. may_act is deferred to v2\", its README)"
            )
        for cls, prefix, code in EXCHANGE_ERRORS:
            if isinstance(e, cls) and message.startswith(prefix):
                raise Refusal(code, f"{type(e).__name__}: {message}")
        raise
    return {"token": result.credential}


def delegation_subject(token) -> bool:
    try:
        return jwt.decode(token, options={"verify_signature": False}).get("kind") == "delegation"
    except Exception:
        return False


def verify_outcome(e: Exception) -> tuple[str, str]:
    """(jwt_* code, J step) for a delcred verification failure."""
    m = str(e)
    cause = e.__cause__
    if isinstance(e, ExpiredToken):
        return "jwt_expired", "J4"
    if isinstance(e, InvalidToken):
        if m.startswith("malformed token"):
            return "jwt_malformed", "J1"
        if m.startswith("unexpected alg"):
            return "jwt_signature_invalid", "J2"
        if m.startswith("untrusted issuer") or m.startswith("bad trusted_issuers"):
            return "jwt_issuer_mismatch", "J3"
        if m.startswith("audience mismatch"):
            return "jwt_audience_mismatch", "J5"
        if m.startswith("delegation token missing act.sub"):
            return "jwt_actor_chain_invalid", "J6"
        if m.startswith("not a delegation token"):
            return "jwt_malformed", "J1"
        if isinstance(cause, (jwt.InvalidSignatureError, jwt.InvalidAlgorithmError)):
            return "jwt_signature_invalid", "J2"
        if isinstance(cause, (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError)):
            return "jwt_not_yet_valid", "J4"
        if isinstance(cause, jwt.InvalidIssuerError):
            return "jwt_issuer_mismatch", "J3"
        return "jwt_malformed", "J1"
    if isinstance(e, dc_exchange.ExchangeError):
        return "jwt_revoked", ""
    return "jwt_malformed", "J1"


def op_verify(p: dict) -> dict:
    if p.get("profile") != PROFILE:
        raise Unsupported(f"profile {p.get('profile')}: delcred verifies its own delegation tokens only")
    token = p.get("token")
    if token is None:
        # `delcred serve` answers 400 "missing field: 'token'"; the Python API cannot be called without one.
        return {"valid": False, "code": "jwt_token_missing", "step": "J0", "message": "no token (delcred serve: 400 missing field 'token')"}
    audience = p.get("audience")
    if not audience:
        raise Unsupported("delcred's verify requires the expected resource (audience pinning)")
    s = SESSIONS.get(p.get("session") or "") or latest_session()
    if s is None:
        raise BadRequest("no token service was set up")
    try:
        with s.active() as home, frozen_clock(p.get("now")):
            claims = dc_exchange.verify(token, expected_resource=audience, base=home)
    except (TokenError, dc_exchange.ExchangeError) as e:
        code, step = verify_outcome(e)
        out = {"valid": False, "code": code, "message": f"{type(e).__name__}: {e}"[:MAX_MESSAGE]}
        if step:
            out["step"] = step
        return out
    details = [f"delcred: sub={claims.get('sub')} act.sub={(claims.get('act') or {}).get('sub')} scope={claims.get('scope')!r} aud={claims.get('aud')}"]
    return {"valid": True, "details": details}


def latest_session():
    return next(reversed(SESSIONS.values()), None) if SESSIONS else None


# MARK: handshake


def clock_self_test() -> bool:
    home = tempfile.mkdtemp(prefix="baton-delcred-selftest.")
    try:
        from pathlib import Path

        base = Path(home)
        with frozen_clock(1_900_000_000):
            delcred.init(base=base)
            token = delcred.user_token("u", ttl=10, base=base)
        with frozen_clock(1_900_000_000 + 10 + 59):
            dc_tokens.verify_signature(token, base=base)
        try:
            with frozen_clock(1_900_000_000 + 10 + 60):
                dc_tokens.verify_signature(token, base=base)
            return False
        except ExpiredToken:
            return True
    except Exception:
        log("clock self-test failed: " + traceback.format_exc())
        return False
    finally:
        shutil.rmtree(home, ignore_errors=True)


def op_handshake(p: dict) -> dict:
    if p.get("protocol") != PROTOCOL:
        raise BadRequest(f"protocol {p.get('protocol')!r} is not {PROTOCOL}")
    return {
        "name": "delcred",
        "version": delcred.__version__,
        "profiles": [PROFILE],
        "roles": ["sts", "verifier"],
        "options": ["clock"] if clock_self_test() else [],
    }


OPS = {
    "handshake": op_handshake,
    "sts_setup": op_sts_setup,
    "sts_login": op_sts_login,
    "sts_exchange": op_sts_exchange,
    "verify": op_verify,
}


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
        for s in SESSIONS.values():
            s.close()
        SESSIONS.clear()
        return {"id": rid, "ok": True, "result": {}}, True
    fn = OPS.get(op)
    if fn is None:
        return {"id": rid, "ok": False, "error": {"code": "unsupported", "message": f"op {op!r}: delcred has no such operation"}}, False
    try:
        return {"id": rid, "ok": True, "result": fn(params)}, False
    except Unsupported as e:
        return {"id": rid, "ok": False, "error": {"code": "unsupported", "message": str(e)[:MAX_MESSAGE]}}, False
    except Refusal as e:
        return {"id": rid, "ok": False, "error": {"code": e.code, "message": str(e)[:MAX_MESSAGE]}}, False
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
        for s in SESSIONS.values():
            s.close()


if __name__ == "__main__":
    sys.exit(main())
