#!/usr/bin/env python3
"""Each entry of Fixtures/known-failures/highflame.txt, reproduced with highflame 0.10.0 alone (no Baton):
ZeroID access tokens signed here with an ES256 key whose JWKS a loopback server publishes, verified by
the SDK's own `ZeroIDClient(base_url).tokens.verify(token, audience=issuer)`, the way a ZeroID resource
server would call it. Two controls first (an honest delegated token verifies; one signed by another key
does not), so a defect is never "reproduced" by a verifier that accepts everything.

  .venv-highflame/bin/python Interop/highflame_defects.py     # exits 1 if a defect no longer reproduces

Prints one line per defect: reproduced or NOT REPRODUCED, the scenario id, and what highflame read from
the token it accepted (or why it refused).
"""

from __future__ import annotations

import base64
import http.server
import json
import sys
import threading
import time
import urllib.request
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from highflame.zeroid import ZeroIDClient
from highflame.zeroid.errors import ZeroIDError

# PyJWKClient fetches the JWKS with urllib: never through a proxy.
urllib.request.install_opener(urllib.request.build_opener(urllib.request.ProxyHandler({})))

ISSUER = "https://zeroid.example"
DOMAIN = "spiffe://zeroid.dev/acme/prod/agent/"
KID = "zeroid-key-1"


def b64url(n: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes(32, "big")).decode().rstrip("=")


def jwk(key: ec.EllipticCurvePrivateKey) -> dict:
    nums = key.public_key().public_numbers()
    return {"kty": "EC", "crv": "P-256", "kid": KID, "alg": "ES256", "use": "sig", "x": b64url(nums.x), "y": b64url(nums.y)}


def serve(jwks: dict) -> tuple[http.server.ThreadingHTTPServer, str]:
    body = json.dumps(jwks).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            found = self.path == "/.well-known/jwks.json"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def agent(name: str) -> str:
    return DOMAIN + name


def token(key, profile: str, edit=None) -> str:
    """The writer's token of a two-hop chain orchestrator → researcher → writer, as ZeroID issues it."""
    now = int(time.time())
    claims = {
        "iss": ISSUER, "aud": [ISSUER], "iat": now, "exp": now + 600, "jti": str(uuid.uuid4()), "account_id": "acme",
        "project_id": "prod", "grant_type": "token_exchange", "mission_id": str(uuid.uuid4()), "delegation_depth": 2,
        "scopes": ["docs:write"], "status": "active", "sub_type": "tool_agent", "owner_user_id": "user-alice",
    }
    if profile == "legacy":  # ZeroID f08f979: sub is the actor, act the immediate delegator
        claims |= {"sub": agent("writer"), "external_id": "writer", "identity_type": "agent", "trust_level": "unverified",
                   "act": {"sub": agent("researcher")}}
    else:  # rfc8693: sub is the principal, act nested with the current actor outermost
        claims |= {"sub": agent("orchestrator"), "principal_type": "workload", "client_id": "writer", "scope": "docs:write",
                   "act": {"sub": agent("writer"), "identity_type": "agent", "trust_level": "unverified", "external_id": "writer",
                           "act": {"sub": agent("researcher")}}}
    if edit:
        edit(claims)
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": KID, "typ": "JWT" if profile == "legacy" else "at+jwt"})


def read(identity) -> str:
    return (f"sub={identity.sub} delegation_depth={identity.delegation_depth} is_delegated={identity.is_delegated()} "
            f"current_actor={identity.current_actor()} prior_actors={list(identity.prior_actors())} "
            f"mission_id={(identity.custom or {}).get('mission_id')} iss={identity.iss}")


def main() -> int:
    key = ec.generate_private_key(ec.SECP256R1())
    other = ec.generate_private_key(ec.SECP256R1())
    httpd, base = serve({"keys": [jwk(key)]})
    client = ZeroIDClient(base_url=base)

    def verify(text: str):
        try:
            return client.tokens.verify(text, audience=ISSUER), None
        except ZeroIDError as e:
            return None, f"{e.code}: {e.message}"

    failures = 0

    def control(name: str, text: str, accepted: bool) -> None:
        nonlocal failures
        identity, error = verify(text)
        ok = (identity is not None) == accepted
        failures += 0 if ok else 1
        print(f"{'control ok' if ok else 'CONTROL FAILED'}: {name}: {read(identity) if identity else error}")

    control("an honest legacy token verifies", token(key, "legacy"), True)
    control("a token signed by another key is refused", token(other, "legacy"), False)

    defects = [
        ("zeroid/verifier/act-dropped-legacy-zeroid", "legacy, delegation_depth 2 and no act at all",
         token(key, "legacy", lambda c: c.pop("act"))),
        ("zeroid/verifier/delegation-depth-inconsistent-rfc8693", "rfc8693, delegation_depth 3 over a two-level act chain",
         token(key, "rfc8693", lambda c: c.update(delegation_depth=3))),
        ("zeroid/verifier/delegation-depth-inconsistent-with-act", "legacy, delegation_depth 1 under a three-level act chain",
         token(key, "legacy", lambda c: c.update(delegation_depth=1, act={"sub": agent("writer"), "act": {
             "sub": agent("researcher"), "act": {"sub": agent("orchestrator")}}}))),
        ("zeroid/verifier/mission-id-removed", "a delegated token without mission_id",
         token(key, "legacy", lambda c: c.pop("mission_id"))),
        ("zeroid/verifier/foreign-issuer", "iss https://evil.example, signed with the trusted key",
         token(key, "legacy", lambda c: c.update(iss="https://evil.example"))),
    ]
    for scenario, what, text in defects:
        identity, error = verify(text)
        reproduced = identity is not None
        failures += 0 if reproduced else 1
        print(f"{'reproduced' if reproduced else 'NOT REPRODUCED'}: {scenario}: {what}: "
              f"{'accepted, read ' + read(identity) if reproduced else 'refused, ' + error}")
    httpd.shutdown()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
