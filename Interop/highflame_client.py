#!/usr/bin/env python3
"""highflame 0.10.0 (ZeroID's Python SDK) as an independent client of a ZeroID service.

  .venv-highflame/bin/python Interop/highflame_client.py http://127.0.0.1:PORT

Everything goes through the SDK's own API, as a team using ZeroID would write it: the admin
resources (a ZeroIDClient on the admin API's base, {URL}/api/v1) register the agents with keys
from generate_keypair() and an OAuth client for the orchestrator; the token resources (a
ZeroIDClient on {URL}) issue the orchestrator's root by client_credentials and delegate with actor
assertions built by build_actor_assertion() (or by delegate_to(), which builds its own); the
lineage comes back through tokens.delegation_chain() into the SDK's DelegationChain model. Then
assertions that must be refused: replayed, signed by a key other than the registered one, with
the token URL as audience (the mistake the SDK's docs warn of), with a broken signature, not a JWT
at all, and for an identity never registered.

Prints one JSON object per case on stdout ({"case", "ok", then "access_token" or "code",
"status", "description"}; the lineage case lists the edges and nodes it read); Baton judges them
(Tests/BatonConformanceTests/HighflameClientTests.swift). Names carry a random tag, so runs never
collide in a long-lived deployment. Exits 2 when the set-up itself fails.
"""

from __future__ import annotations

import base64
import json
import sys
import uuid

import jwt
from highflame.zeroid import ZeroIDClient, build_actor_assertion, generate_keypair
from highflame.zeroid.errors import ZeroIDError

ACCOUNT = "acme"
OWNER = "user-alice"


def emit(case: str, **fields) -> None:
    print(json.dumps({"case": case, **fields}, sort_keys=True), flush=True)


def attempt(case: str, call) -> str | None:
    """Runs one SDK call that issues a token; prints what came back."""
    try:
        token = call()
    except ZeroIDError as e:
        emit(case, ok=False, code=e.code, status=e.status, description=e.message)
        return None
    emit(case, ok=True, access_token=token.access_token, scope=token.scope, jti=token.jti)
    return token.access_token


def main(base: str) -> int:
    tag = uuid.uuid4().hex[:8]
    project = f"hf-{tag}"
    admin = ZeroIDClient(base_url=base + "/api/v1", account_id=ACCOUNT, project_id=project, max_retries=0)
    public = ZeroIDClient(base_url=base, account_id=ACCOUNT, project_id=project, max_retries=0)

    keys = {name: generate_keypair() for name in ("orchestrator", "researcher", "writer", "mallory", "stranger")}
    uris: dict[str, str] = {}
    try:
        for name in ("orchestrator", "researcher", "writer", "mallory"):
            identity = admin.identities.create(
                external_id=f"{name}-{tag}", owner_user_id=OWNER, identity_type="agent", sub_type="tool_agent",
                public_key_pem=keys[name][1])
            uris[name] = identity.wimse_uri
        client = admin.oauth_clients.create(
            client_id=f"orchestrator-{tag}", name="orchestrator", confidential=True, grant_types=["client_credentials"],
            scopes=["research:read", "web:search", "docs:write"])
        root = public.tokens.issue_client_credentials(client.client.client_id, client.client_secret, scope="research:read docs:write")
    except ZeroIDError as e:
        emit("setup", ok=False, code=e.code, status=e.status, description=e.message)
        return 2
    emit("setup", ok=True, access_token=root.access_token, uris=uris, tenant=f"{ACCOUNT}/{project}")
    issuer = jwt.decode(root.access_token, options={"verify_signature": False})["iss"]

    # The honest hops: an assertion the SDK builds, exchanged with the orchestrator's root as subject.
    assertion = build_actor_assertion(wimse_uri=uris["researcher"], private_key_pem=keys["researcher"][0], audience=issuer)
    researcher = attempt(
        "delegate", lambda: public.tokens.delegate(actor_token=assertion, scope="research:read docs:write", subject_token=root.access_token))
    writer = None
    if researcher:
        writer = attempt(
            "delegate_to",
            lambda: public.tokens.delegate_to(
                wimse_uri=uris["writer"], private_key_pem=keys["writer"][0], scope="docs:write", audience=issuer, subject_token=researcher))

    # Assertions that must be refused.
    def exchange(actor_token: str):
        return lambda: public.tokens.delegate(actor_token=actor_token, scope="docs:write", subject_token=root.access_token)

    attempt("replayed", exchange(assertion))
    foreign = build_actor_assertion(wimse_uri=uris["mallory"], private_key_pem=keys["stranger"][0], audience=issuer)
    attempt("foreign-key", exchange(foreign))
    token_url = build_actor_assertion(wimse_uri=uris["researcher"], private_key_pem=keys["researcher"][0], audience=base + "/oauth2/token")
    attempt("token-url-audience", exchange(token_url))
    honest = build_actor_assertion(wimse_uri=uris["researcher"], private_key_pem=keys["researcher"][0], audience=issuer)
    head, payload, signature = honest.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[0] ^= 0x01
    broken = f"{head}.{payload}.{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"
    attempt("broken-signature", exchange(broken))
    attempt("not-a-jwt", exchange("not-a-jwt"))
    unknown = uris["researcher"].rsplit("/", 1)[0] + f"/ghost-{tag}"
    attempt("unregistered", exchange(build_actor_assertion(wimse_uri=unknown, private_key_pem=keys["stranger"][0], audience=issuer)))

    # The lineage of the writer's token, read into the SDK's own model.
    if writer:
        jti = jwt.decode(writer, options={"verify_signature": False})["jti"]
        try:
            chain = admin.tokens.delegation_chain(jti)
        except ZeroIDError as e:
            emit("lineage", ok=False, code=e.code, status=e.status, description=e.message)
        else:
            emit(
                "lineage", ok=True, revoked=chain.is_revoked(),
                edges=[{"jti": e.jti, "parent_jti": e.parent_jti, "mission_id": e.mission_id, "depth": e.delegation_depth,
                        "from": e.from_, "to": e.to, "scopes_out": e.scopes_out, "attenuated": e.attenuated} for e in chain.edges],
                nodes={n.id: n.wimse_uri for n in chain.nodes})
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: highflame_client.py http://127.0.0.1:PORT\n")
        sys.exit(64)
    sys.exit(main(sys.argv[1].rstrip("/")))
