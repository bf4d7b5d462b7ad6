#!/usr/bin/env python3
"""Baton testee adapter for the PyPI package `agent-identity-protocol` 0.6.0.

Speaks `baton-testee/1` (docs/TESTEE-PROTOCOL.md): one JSON request per line on
stdin, one JSON answer per line on stdout, logs on stderr. It drives the
package's own code paths and reports what they did; Baton judges.

  mint      -> aip_token.ChainedToken.create_authority(...)
  delegate  -> ChainedToken.from_base64(token, root).delegate(...)
  verify    -> aip_a2a.verify_a2a_task(...) when an audience is given (the A2A
               binding: token at params.metadata.aip_token), otherwise
               ChainedToken.from_base64(...).authorize(tool, root) (or
               .verify_chain(root) when no tool is named).

Profile aip-compact (one-hop `typ: aip+jwt` tokens; delegate is unsupported):

  mint      -> aip_token.CompactToken.create(AipClaims(...), keypair)
  verify    -> aip_mcp.middleware.verify_request({"X-AIP-Token": token}, root, tool),
               the package's one verifier of compact tokens (the MCP binding:
               CompactToken.verify, then the scope), or CompactToken.verify when no
               tool is named. The package has no audience check for compact
               tokens (its A2A binding refuses them), so none is made here.

Time: the package reads the wall clock (`time.time()` and `datetime.now()` in
aip_token.chained, `time.time()` in aip_token.jwt_chain, `datetime.now()` in
aip_token.policy, and PyJWT's `datetime.now()` in jwt.api_jwt for compact tokens). For each request carrying `now`, those module attributes are
replaced by frozen equivalents for the duration of the call and restored
afterwards. The "clock" option is declared only if a self-test at handshake
shows the freeze is effective.

Not supported (answered `ok:false`, code `unsupported`, so Baton skips the case):
delegation expiry (`expires_at`), signed delegation (`delegator_key`,
`require_signed_delegation`), revocation, and delegating a token whose root key
this process never minted with (the delegate request carries no root key and a
Biscuit does not contain it). `identities` is ignored: the package does no V2.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import sys
import time as _time
import traceback
from unittest import mock

PROTOCOL = "baton-testee/1"
PROFILE = "aip-chained"
COMPACT = "aip-compact"
JWT_CHAIN = "aip-jwt-chain"
PACKAGE = "agent-identity-protocol"
MAX_LINE = 1 << 20
MAX_MESSAGE = 2000
MAX_KNOWN_ROOTS = 256
MAX_TOKEN_MAP = 4096


# -- stdout discipline ------------------------------------------------------
# Answers go to a private duplicate of fd 1; fd 1 itself and sys.stdout are
# pointed at stderr so that nothing the library (or a native extension) prints
# can corrupt the answer stream.
def _claim_stdout():
    fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


OUT = _claim_stdout()


def log(msg: str) -> None:
    try:
        sys.stderr.write(f"aip_adapter: {msg}\n")
        sys.stderr.flush()
    except Exception:
        pass


# -- library import (failure is reported, not fatal) -------------------------
IMPORT_ERROR = None
try:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    import aip_token.chained as _chained_mod
    import aip_token.jwt_chain as _jwt_chain_mod
    import aip_token.policy as _policy_mod
    from aip_core.crypto import KeyPair
    from aip_token import ChainedToken, TokenError
    from aip_a2a import A2AError, AudienceError, ChainError, ExpiryError, ScopeError
    from aip_a2a import verify_a2a_task
    import aip_a2a.verify as _a2a_verify_mod
    import jwt.api_jwt as _pyjwt_mod
    from aip_token.claims import AipClaims
    from aip_token.compact import CompactToken
    from aip_token.jwt_chain import JwtChain
    from aip_mcp.middleware import verify_request as mcp_verify_request
except Exception as exc:  # pragma: no cover - reported at handshake
    IMPORT_ERROR = f"{type(exc).__name__}: {exc}"
    log(f"import failed: {IMPORT_ERROR}")


def package_version() -> str:
    try:
        from importlib.metadata import version

        return version(PACKAGE)
    except Exception:
        return "unknown"


# -- errors -------------------------------------------------------------------
class Refusal(Exception):
    """An `ok:false` answer: code + message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def unsupported(message: str) -> Refusal:
    return Refusal("unsupported", message)


def bad_request(message: str) -> Refusal:
    return Refusal("bad_request", message)


def clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + "…"


def wire_code(err) -> str:
    """The aip_-prefixed code of a TokenError (0.6.0 has .wire_code)."""
    code = getattr(err, "wire_code", None)
    if isinstance(code, str) and code:
        return code
    code = str(getattr(err, "code", "") or "token_malformed")
    return code if code.startswith("aip_") else f"aip_{code}"


def describe(exc: BaseException) -> str:
    """str(exc), plus the underlying TokenError when an A2AError wraps one."""
    text = str(exc) or type(exc).__name__
    cause = exc.__cause__
    if cause is not None and cause is not exc:
        if isinstance(cause, TokenError):
            text += f" (cause: TokenError {wire_code(cause)}: {cause})"
        else:
            text += f" (cause: {type(cause).__name__}: {cause})"
    return clip(text)


# -- clock ----------------------------------------------------------------------
class _FrozenTimeModule:
    """Stands in for the `time` module inside a library module: time() is frozen."""

    def __init__(self, now: float) -> None:
        self._now = now

    def time(self) -> float:
        return self._now

    def time_ns(self) -> int:
        return int(self._now * 1_000_000_000)

    def __getattr__(self, name):
        return getattr(_time, name)


def _frozen_datetime_class(now: float):
    class FrozenDatetime(_dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return _dt.datetime.fromtimestamp(now, tz)

        @classmethod
        def utcnow(cls):
            return _dt.datetime.fromtimestamp(now, _dt.timezone.utc).replace(tzinfo=None)

        @classmethod
        def today(cls):
            return _dt.datetime.fromtimestamp(now)

    return FrozenDatetime


# (module, attribute, kind) for every wall-clock read on the paths this adapter
# drives; found by reading the installed 0.6.0 sources.
def _clock_targets():
    return [
        (_chained_mod, "time", "time"),          # verify_chain: int(time.time())
        (_chained_mod, "datetime", "datetime"),  # create_authority expiry, authorize V6 time fact
        (_jwt_chain_mod, "time", "time"),        # JwtChain.verify default now (eyJ tokens over A2A)
        (_policy_mod, "datetime", "datetime"),   # SimplePolicy (not driven, patched for safety)
        (_pyjwt_mod, "datetime", "datetime"),    # PyJWT exp/iat/nbf checks of compact tokens
    ]


def frozen_clock(now):
    """Context manager making `now` the library's current time, or a no-op."""
    if now is None:
        return contextlib.nullcontext()
    if isinstance(now, bool) or not isinstance(now, (int, float)):
        raise bad_request(f"now must be a number of seconds, got {now!r}")
    now = float(now)
    stack = contextlib.ExitStack()
    frozen_dt = _frozen_datetime_class(now)
    frozen_time = _FrozenTimeModule(now)
    for module, attr, kind in _clock_targets():
        if hasattr(module, attr):
            stack.enter_context(
                mock.patch.object(module, attr, frozen_time if kind == "time" else frozen_dt)
            )
    return stack


_CLOCK_OK = None


def clock_self_test() -> bool:
    """Check the freeze reaches every time-dependent decision we rely on."""
    global _CLOCK_OK
    if _CLOCK_OK is not None:
        return _CLOCK_OK
    try:
        for module, attr, _ in _clock_targets()[:3]:
            if not hasattr(module, attr):
                raise RuntimeError(f"{module.__name__}.{attr} missing")
        kp = KeyPair(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
        root = kp.public_key_bytes()
        t0 = 1_000_000_000  # 2001, far from the real clock
        with frozen_clock(t0):
            tok = ChainedToken.create_authority(
                "aip:web:selftest.example/root", ["tool:a"], None, 1, 60, kp
            )
            b64 = tok.delegate(
                "aip:web:selftest.example/root", "aip:web:selftest.example/leaf",
                [], None, "clock self-test"
            ).to_base64()
        if "2001-09-09T01:47:40Z" not in tok.block_source(0):
            raise RuntimeError("mint did not use the frozen clock")

        def outcome(now):
            with frozen_clock(now):
                try:
                    ChainedToken.from_base64(b64, root).authorize("tool:a", root)
                    return "ok"
                except TokenError as e:
                    return wire_code(e)

        ok = outcome(t0 + 60) == "ok" and outcome(t0 + 61) == "aip_token_expired"
        ok = ok and outcome(t0 - 3600) == "ok"

        # Compact tokens: PyJWT checks exp against its own clock, which must follow the freeze.
        compact = CompactToken.create(AipClaims(iss="aip:web:selftest.example/root", sub="aip:web:selftest.example/leaf",
                                                scope=["tool:a"], max_depth=0, iat=t0, exp=t0 + 60), kp)

        def compact_outcome(now):
            with frozen_clock(now):
                try:
                    CompactToken.verify(compact, root)
                    return "ok"
                except TokenError as e:
                    return wire_code(e)

        ok = ok and compact_outcome(t0 + 30) == "ok" and compact_outcome(t0 + 61) == "aip_token_expired"
        _CLOCK_OK = bool(ok)
    except Exception as exc:
        log(f"clock self-test failed: {type(exc).__name__}: {exc}")
        _CLOCK_OK = False
    log(f"clock self-test: {'passed' if _CLOCK_OK else 'FAILED'}")
    return _CLOCK_OK


# -- root keys for delegate -------------------------------------------------------
# A Biscuit does not carry its root public key, and `delegate` requests do not
# either. Remember the root of every token this process emits, and the public
# keys it minted with (so a token Baton derived from one of ours, e.g. by
# appending a block, can still be opened: from_base64 checks the signature).
TOKEN_ROOTS: dict[str, bytes] = {}
KNOWN_ROOTS: list[bytes] = []


def remember(token: str, root: bytes) -> None:
    if len(TOKEN_ROOTS) >= MAX_TOKEN_MAP:
        TOKEN_ROOTS.pop(next(iter(TOKEN_ROOTS)))
    TOKEN_ROOTS[token] = root
    if root in KNOWN_ROOTS:
        KNOWN_ROOTS.remove(root)
    KNOWN_ROOTS.insert(0, root)
    del KNOWN_ROOTS[MAX_KNOWN_ROOTS:]


def open_for_delegation(token: str):
    """(ChainedToken, root) for a token minted under a root key we know."""
    root = TOKEN_ROOTS.get(token)
    candidates = [root] if root is not None else list(KNOWN_ROOTS)
    for key in candidates:
        try:
            return ChainedToken.from_base64(token, key), key
        except TokenError as err:
            if wire_code(err) == "aip_token_malformed":
                raise  # does not decode at all: no key would help
    if root is not None:
        # We issued these exact bytes, so the library's verdict stands.
        return ChainedToken.from_base64(token, root), root
    if not candidates:
        # No key to try: still let the package say whether the bytes decode at all.
        probe = KeyPair(Ed25519PrivateKey.from_private_bytes(bytes(32))).public_key_bytes()
        try:
            ChainedToken.from_base64(token, probe)
        except TokenError as err:
            if wire_code(err) == "aip_token_malformed":
                raise
    raise unsupported(
        "cannot recover the root public key: the delegate request carries none, a "
        "Biscuit does not contain it, and this token does not verify under any root "
        "key this adapter minted with (e.g. it was minted by Baton's reference); "
        "agent-identity-protocol 0.6.0 needs the root key to open a token"
    )


# -- request helpers ------------------------------------------------------------------
def need(params: dict, name: str):
    if name not in params or params[name] is None:
        raise bad_request(f"missing parameter {name!r}")
    return params[name]


def hex_bytes(value, name: str, length: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a hex string")
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise bad_request(f"{name} is not valid hex")
    if length is not None and len(raw) != length:
        raise bad_request(f"{name} must be {length} bytes, got {len(raw)}")
    return raw


def string_list(value, name: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad_request(f"{name} must be a list")
    return value


def check_profile(params: dict, allowed=(PROFILE,)) -> str:
    profile = params.get("profile", PROFILE)
    if profile not in allowed:
        raise unsupported(f"profile {profile!r} is not implemented here; only {', '.join(allowed)}")
    return profile


def token_refusal(exc: Exception) -> Refusal:
    """An issuer-side failure as an ok:false answer with the spec's code."""
    if isinstance(exc, TokenError):
        return Refusal(wire_code(exc), clip(str(exc)))
    # Not a clean refusal from the library: report it as malformed input, keep the type.
    return Refusal("aip_token_malformed", clip(f"{type(exc).__name__}: {exc}"))


# -- operations -----------------------------------------------------------------------
def op_handshake(params: dict) -> dict:
    protocol = params.get("protocol")
    if protocol != PROTOCOL:
        raise Refusal("protocol_mismatch", f"expected {PROTOCOL!r}, got {protocol!r}")
    if IMPORT_ERROR is not None:
        raise Refusal("testee_unavailable", f"cannot import {PACKAGE}: {IMPORT_ERROR}")
    options = ["clock"] if clock_self_test() else []
    return {
        "name": PACKAGE,
        "version": package_version(),
        "profiles": [PROFILE, COMPACT, JWT_CHAIN],
        "roles": ["issuer", "verifier"],
        "options": options,
    }


def op_mint(params: dict) -> dict:
    profile = check_profile(params, (PROFILE, COMPACT, JWT_CHAIN))
    if profile == COMPACT:
        return mint_compact(params)
    if profile == JWT_CHAIN:
        return mint_jwt_chain(params)
    issuer = need(params, "issuer")
    seed = hex_bytes(need(params, "issuer_key"), "issuer_key", 32)
    scopes = string_list(need(params, "scopes"), "scopes")
    max_depth = need(params, "max_depth")
    ttl = need(params, "ttl_seconds")
    budget = params.get("budget_cents")
    principal = params.get("principal")
    # next_key: ignored (the package always draws a fresh key for the next block).
    with frozen_clock(params.get("now")):
        try:
            kp = KeyPair(Ed25519PrivateKey.from_private_bytes(seed))
            tok = ChainedToken.create_authority(
                issuer, scopes, budget, max_depth, ttl, kp, principal=principal
            )
            text = tok.to_base64()
        except Refusal:
            raise
        except Exception as exc:
            raise token_refusal(exc)
    remember(text, kp.public_key_bytes())
    return {"token": text}


def mint_compact(params: dict) -> dict:
    issuer = need(params, "issuer")
    subject = need(params, "subject")
    seed = hex_bytes(need(params, "issuer_key"), "issuer_key", 32)
    scopes = string_list(need(params, "scopes"), "scopes")
    max_depth = need(params, "max_depth")
    ttl = need(params, "ttl_seconds")
    budget = params.get("budget_cents")
    now = params.get("now")
    if now is None:
        now = int(_time.time())
    try:
        kp = KeyPair(Ed25519PrivateKey.from_private_bytes(seed))
        claims = AipClaims(iss=issuer, sub=subject, scope=scopes,
                           budget_usd=None if budget is None else budget / 100,
                           max_depth=max_depth, iat=int(now), exp=int(now) + int(ttl))
        return {"token": CompactToken.create(claims, kp)}
    except Refusal:
        raise
    except Exception as exc:
        raise token_refusal(exc)


def mint_jwt_chain(params: dict) -> dict:
    """JwtChain.create_root: the authority link, held by `subject` under `subject_key`."""
    seed = hex_bytes(need(params, "issuer_key"), "issuer_key", 32)
    holder = hex_bytes(need(params, "subject_key"), "subject_key", 32)
    try:
        kp = KeyPair(Ed25519PrivateKey.from_private_bytes(seed))
        chain = JwtChain.create_root(
            issuer=need(params, "issuer"), delegate=need(params, "subject"),
            tools=string_list(need(params, "scopes"), "scopes"), max_depth=need(params, "max_depth"),
            ttl_seconds=need(params, "ttl_seconds"), issuer_keypair=kp, holder_public_key=holder,
            budget_cents=params.get("budget_cents"), principal=params.get("principal"), now=params.get("now"))
        text = chain.serialize()
    except Refusal:
        raise
    except Exception as exc:
        raise token_refusal(exc)
    remember(text, kp.public_key_bytes())
    return {"token": text}


def delegate_jwt_chain(params: dict) -> dict:
    """JwtChain.append, signed by the holder's key, on a chain verified under its remembered root."""
    token = need(params, "token")
    now = params.get("now")
    root = TOKEN_ROOTS.get(token)
    if root is None:
        # A chain made elsewhere (Baton's reference standing in, or before a restart): the package can
        # extend a chain only once it has verified it, so try the root keys seen so far.
        for key in KNOWN_ROOTS:
            try:
                JwtChain.verify(token, key, now=now)
                root = key
                break
            except Exception:
                continue
    if root is None:
        raise unsupported("JwtChain.append needs a verified chain, and this chain's root key is not one the adapter has seen")
    holder = hex_bytes(need(params, "delegator_key"), "delegator_key", 32)
    next_key = hex_bytes(need(params, "delegate_key"), "delegate_key", 32)
    expires_at = params.get("expires_at")
    scopes = string_list(params.get("scopes"), "scopes")
    try:
        chain = JwtChain.verify(token, root, now=now)
        child = chain.append(
            holder_keypair=KeyPair(Ed25519PrivateKey.from_private_bytes(holder)), delegate=need(params, "delegate"),
            next_holder_public_key=next_key, context=params.get("context"), tools=scopes or None,
            budget_cents=params.get("budget_cents"),
            ttl_seconds=None if expires_at is None else int(expires_at) - int(now if now is not None else _time.time()),
            principal=params.get("principal"), now=now)
        text = child.serialize()
    except Refusal:
        raise
    except Exception as exc:
        raise token_refusal(exc)
    remember(text, root)
    return {"token": text}


def _verify_jwt_chain_without_scope(token: str, audience: str, root: bytes) -> None:
    """The A2A binding's JWT-chain flow for a request naming no tool: verify, then the leaf."""
    try:
        chain = JwtChain.verify(token, root)
    except TokenError as exc:
        if exc.code in ("token_expired", "aip_token_expired"):
            raise ExpiryError() from exc
        raise ChainError(str(exc)) from exc
    if chain.depth() < 1:
        raise ChainError("expected at least one delegation block in chain")
    if chain.leaf_delegate() != audience:
        raise AudienceError(f"final delegation targets {chain.leaf_delegate()!r}, expected {audience!r}")


def op_delegate(params: dict) -> dict:
    profile = check_profile(params, (PROFILE, COMPACT, JWT_CHAIN))
    if profile == COMPACT:
        raise unsupported("a compact token has one hop: there is nothing to delegate")
    if profile == JWT_CHAIN:
        return delegate_jwt_chain(params)
    if params.get("expires_at") is not None:
        raise unsupported(
            "delegation expiry: ChainedToken.delegate() in agent-identity-protocol 0.6.0 "
            "takes no expiry and never emits a delegation time check"
        )
    if params.get("delegator_key") is not None:
        raise unsupported(
            "signed delegation: agent-identity-protocol 0.6.0 appends blocks under "
            "Biscuit ephemeral keys; the delegator's key is never used"
        )
    token = need(params, "token")
    if not isinstance(token, str):
        raise bad_request("token must be a string")
    delegator = params.get("delegator")
    delegate = params.get("delegate")
    scopes = string_list(params.get("scopes"), "scopes")  # empty: inherit the parent's
    context = params.get("context")
    budget = params.get("budget_cents")
    principal = params.get("principal")
    with frozen_clock(params.get("now")):
        try:
            tok, root = open_for_delegation(token)
            child = tok.delegate(delegator, delegate, scopes, budget, context, principal=principal)
            text = child.to_base64()
        except Refusal:
            raise
        except Exception as exc:
            raise token_refusal(exc)
    remember(text, root)
    return {"token": text}


def _a2a_body(token: str, request_id) -> dict:
    return {
        "jsonrpc": "2.0",
        "method": "tasks/send",
        "params": {
            "task_id": f"baton-{request_id}",
            "message": {"role": "user", "parts": [{"text": "baton conformance probe"}]},
            "metadata": {"aip_token": token},
        },
    }


def _a2a_verify_without_scope(body: dict, audience: str, root: bytes) -> None:
    """verify_a2a_task's Biscuit flow, with verify_chain() in place of authorize().

    verify_a2a_task requires a scope; for a request naming none this mirrors its
    steps and error mapping using the package's own pieces.
    """
    token = _a2a_verify_mod.extract_token_from_task(body)
    if not token:
        raise ChainError("missing aip_token in task metadata")
    try:
        fmt = _jwt_chain_mod.detect_format(token)
    except TokenError as exc:
        raise ChainError(str(exc)) from exc
    if fmt == "compact":
        raise ChainError("compact tokens are not accepted by the A2A binding")
    if fmt != "biscuit":
        raise ChainError(f"adapter: {fmt} token presented to the aip-chained profile")
    try:
        tok = ChainedToken.from_base64(token, root)
    except TokenError as exc:
        raise ChainError(str(exc)) from exc
    if tok.current_depth() < 1:
        raise ChainError("expected at least one delegation block in chain")
    final = _a2a_verify_mod._final_delegate(tok)
    if final != audience:
        raise AudienceError(f"final delegation targets {final!r}, expected {audience!r}")
    try:
        tok.verify_chain(root)
    except TokenError as exc:
        if exc.code in ("token_expired", "aip_token_expired"):
            raise ExpiryError() from exc
        raise ChainError(str(exc)) from exc


def op_verify(params: dict, request_id) -> dict:
    profile = check_profile(params, (PROFILE, COMPACT, JWT_CHAIN))
    if profile == PROFILE and params.get("require_signed_delegation"):
        raise unsupported(
            "require_signed_delegation: agent-identity-protocol 0.6.0 cannot check "
            "delegator signatures (blocks are signed by Biscuit ephemeral keys)"
        )
    if params.get("revocation") is not None:
        raise unsupported("revocation (V7) is not implemented by agent-identity-protocol 0.6.0")
    # `identities` is ignored: the package does no root binding (V2).
    token = params.get("token")
    if token is None:
        return {"valid": False, "code": "aip_token_missing",
                "message": "no token presented (adapter check; the package is not called)"}
    root = hex_bytes(need(params, "root_key"), "root_key")
    scope = params.get("required_scope")
    with frozen_clock(params.get("now")):
        try:
            if profile == COMPACT:
                _verify_compact(token, root, scope)
            elif profile == JWT_CHAIN:
                _verify_jwt_chain(token, root, params.get("audience"), scope, request_id)
            else:
                _verify_chained(token, root, params.get("audience"), scope, request_id)
        except A2AError as exc:
            code = getattr(exc, "code", None) or "aip_a2a_error"
            return {"valid": False, "code": code, "message": describe(exc)}
        except TokenError as exc:
            return {"valid": False, "code": wire_code(exc), "message": describe(exc)}
        except Exception as exc:
            return {"valid": False, "code": "aip_token_malformed",
                    "message": clip(f"unexpected {type(exc).__name__} from the package: {exc}")}
    return {"valid": True}


def _verify_jwt_chain(token: str, root: bytes, audience, scope, request_id) -> None:
    """The A2A binding (which detects JWT chains itself) when an audience is given, else JwtChain.verify."""
    if audience is not None:
        if scope is not None:
            verify_a2a_task(_a2a_body(token, request_id), expected_audience=audience,
                            root_public_key_bytes=root, required_scope=scope)
        else:
            _verify_jwt_chain_without_scope(token, audience, root)
    else:
        chain = JwtChain.verify(token, root)
        if scope is not None:
            chain.authorize(scope)


def _verify_chained(token: str, root: bytes, audience, scope, request_id) -> None:
    """The A2A binding when an audience is given, else the token's own authorize/verify_chain."""
    if audience is not None:
        body = _a2a_body(token, request_id)
        if scope is not None:
            verify_a2a_task(body, expected_audience=audience,
                            root_public_key_bytes=root, required_scope=scope)
        else:
            _a2a_verify_without_scope(body, audience, root)
    else:
        tok = ChainedToken.from_base64(token, root)
        if scope is not None:
            tok.authorize(scope, root)
        else:
            tok.verify_chain(root)


def _verify_compact(token: str, root: bytes, scope) -> None:
    """The MCP binding (CompactToken.verify, then the scope); CompactToken.verify alone without a tool.
    The package has no audience check for compact tokens, so none is made."""
    if scope is not None:
        mcp_verify_request({"X-AIP-Token": token}, root, scope)
    else:
        CompactToken.verify(token, root)


# -- main loop --------------------------------------------------------------------------------
def _guess_id(text: str):
    match = re.search(r'"id"\s*:\s*(-?\d+)', text)
    return int(match.group(1)) if match else None


def handle_line(text: str) -> tuple[dict, bool]:
    """The answer to one request line, and whether to exit afterwards."""
    try:
        req = json.loads(text)
    except Exception as exc:
        return ({"id": _guess_id(text), "ok": False,
                 "error": {"code": "bad_request", "message": clip(f"not JSON: {exc}")}}, False)
    if not isinstance(req, dict):
        return ({"id": None, "ok": False,
                 "error": {"code": "bad_request", "message": "request is not a JSON object"}}, False)
    rid = req.get("id")
    op = req.get("op")
    params = req.get("params")
    if params is None:
        params = {}
    try:
        if not isinstance(params, dict):
            raise bad_request("params must be an object")
        if op == "shutdown":
            return {"id": rid, "ok": True, "result": {}}, True
        if op == "handshake":
            result = op_handshake(params)
        elif IMPORT_ERROR is not None:
            raise Refusal("testee_unavailable", f"cannot import {PACKAGE}: {IMPORT_ERROR}")
        elif op == "mint":
            result = op_mint(params)
        elif op == "delegate":
            result = op_delegate(params)
        elif op == "verify":
            result = op_verify(params, rid)
        else:
            raise unsupported(f"unknown op {op!r}")
        return {"id": rid, "ok": True, "result": result}, False
    except Refusal as ref:
        return {"id": rid, "ok": False, "error": {"code": ref.code, "message": clip(ref.message)}}, False
    except Exception as exc:  # never die on a request
        log(traceback.format_exc())
        return ({"id": rid, "ok": False,
                 "error": {"code": "internal_error",
                           "message": clip(f"{type(exc).__name__}: {exc}")}}, False)


def encode(answer: dict) -> str:
    try:
        line = json.dumps(answer, ensure_ascii=True)
    except Exception as exc:
        line = json.dumps({"id": answer.get("id") if isinstance(answer.get("id"), int) else None,
                           "ok": False, "error": {"code": "internal_error",
                                                  "message": f"unencodable answer: {exc}"}})
    if len(line) + 1 > MAX_LINE:
        line = json.dumps({"id": answer.get("id"), "ok": False,
                           "error": {"code": "internal_error",
                                     "message": f"answer of {len(line)} bytes exceeds 1 MiB"}})
    return line


def main() -> int:
    stdin = sys.stdin.buffer
    while True:
        try:
            raw = stdin.readline()
        except KeyboardInterrupt:
            return 0
        if not raw:
            return 0  # EOF
        text = raw.decode("utf-8", errors="replace").strip()
        if not text:
            continue
        answer, stop = handle_line(text)
        if answer.get("ok"):
            log(f"{answer.get('id')}: ok "
                + (str(answer["result"].get("code", answer["result"].get("valid", "")))
                   if isinstance(answer.get("result"), dict) else ""))
        else:
            log(f"{answer.get('id')}: error {answer['error']['code']}")
        try:
            OUT.write(encode(answer) + "\n")
            OUT.flush()
        except (BrokenPipeError, OSError):
            return 0
        if stop:
            return 0


if __name__ == "__main__":
    sys.exit(main())
