#!/usr/bin/env python3
"""A minimal Baton testee: an AIP chained-token verifier built on biscuit-python.

It speaks baton-testee/1 (docs/TESTEE-PROTOCOL.md): one JSON request per line on
stdin, one JSON answer per line on stdout, logs on stderr. Copy it to start an
adapter for your own library: replace `verify_token` with calls into your code.

Role: verifier only (Baton mints and delegates with its reference issuer).
It checks V1 (every signature, back to the root key) and V6 (the token's Datalog
checks, with ambient facts `time(now)` and `tool(required_scope)`). It does not
check audience, depth, attenuation, context, identities or revocation, so Baton
will report those attacks as accepted: that is the point of a conformance run.

Run: .venv/bin/python Interop/minimal_testee.py   (needs `pip install biscuit-python`)
  or: baton run --iut 'cmd:.venv/bin/python Interop/minimal_testee.py'
"""
import datetime
import json
import sys

import biscuit_auth as biscuit

PROTOCOL = "baton-testee/1"
HANDSHAKE = {
    "name": "minimal-biscuit-python",
    "version": "0.1.0",
    "profiles": ["aip-chained"],
    "roles": ["verifier"],
    "options": ["clock"],  # we honour `now` (the time fact comes from the request)
}


class Unsupported(Exception):
    """The request asks for something this testee does not implement: Baton skips the case."""


def rejected(code, step, message):
    return {"valid": False, "code": code, "step": step, "message": message}


def verify_token(params):
    """Decides about one presented token; returns the `verify` result object."""
    if params.get("profile") != "aip-chained":
        raise Unsupported(f"profile {params.get('profile')!r}")
    if params.get("revocation") or params.get("require_signed_delegation"):
        raise Unsupported("revocation and signed delegation are not implemented")
    token = params.get("token")
    if not token:
        return rejected("aip_token_missing", "A2A", "no token was presented")
    root = biscuit.PublicKey.from_bytes(bytes.fromhex(params["root_key"]), biscuit.Algorithm.Ed25519)

    # V1: signatures. biscuit-python reports bad bytes and bad signatures alike,
    # so parse without verifying first to tell them apart.
    try:
        biscuit.UnverifiedBiscuit.from_base64(token)
    except Exception as e:
        return rejected("aip_token_malformed", "V1", f"cannot parse the token: {e}")
    try:
        parsed = biscuit.Biscuit.from_base64(token, root)
    except Exception as e:
        return rejected("aip_signature_invalid", "V1", f"signature check failed: {e}")

    # V6: the token's own checks, with the ambient facts of this request.
    now = datetime.datetime.fromtimestamp(params["now"], tz=datetime.timezone.utc)
    code, facts = "time({now}); allow if true;", {"now": now}
    if params.get("required_scope") is not None:
        code, facts["tool"] = "tool({tool}); " + code, params["required_scope"]
    builder = biscuit.AuthorizerBuilder(code, facts)
    # Biscuit's default run limit is 1 ms of wall time: on a loaded machine a legitimate token would
    # be refused for running slow. Outcomes must not depend on machine speed, so allow a second.
    limits = builder.limits()
    limits.max_time = datetime.timedelta(seconds=1)
    builder.set_limits(limits)
    try:
        builder.build(parsed).authorize()
    except biscuit.AuthorizationError as e:
        expired = "time($" in str(e) and "tool($" not in str(e)
        return rejected("aip_token_expired" if expired else "aip_scope_insufficient", "V6", str(e))
    return {"valid": True}


def handle(request):
    """Answers one request (a dict) with the answer object to print."""
    rid, op, params = request.get("id"), request.get("op"), request.get("params") or {}
    try:
        if op == "handshake":
            if params.get("protocol") != PROTOCOL:
                raise Unsupported(f"protocol {params.get('protocol')!r}")
            return {"id": rid, "ok": True, "result": HANDSHAKE}
        if op == "verify":
            return {"id": rid, "ok": True, "result": verify_token(params)}
        if op == "shutdown":
            return {"id": rid, "ok": True}
        raise Unsupported(f"op {op!r} (this testee is a verifier only)")
    except Unsupported as e:
        return {"id": rid, "ok": False, "error": {"code": "unsupported", "message": str(e)}}
    except Exception as e:  # a bug or a bad request: report it, never die
        return {"id": rid, "ok": False, "error": {"code": "bad_request", "message": f"{type(e).__name__}: {e}"}}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as e:
            request, answer = {}, {"id": None, "ok": False, "error": {"code": "bad_request", "message": str(e)}}
        else:
            answer = handle(request)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        if request.get("op") == "shutdown":
            break


if __name__ == "__main__":
    main()
