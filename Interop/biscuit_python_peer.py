#!/usr/bin/env python3
"""Baton's interop peer for biscuit-python (the Rust reference behind a Python API).

Reads one JSON request per line on stdin and answers one JSON object per line on
stdout, so Swift tests can mint in Python and verify in Swift, and the reverse.

Requests (keys are hex; tokens are URL-safe base64):
  {"op": "mint", "root": SK, "code": DATALOG}                          -> {"token"}
  {"op": "append", "token", "root_public": PK, "code"}                 -> {"token"}
  {"op": "append_third_party", "token", "root_public", "signer": SK, "code"} -> {"token"}
  {"op": "authorize", "token", "root_public", "code"}                  -> {"ok", "policy"|"error"}
  {"op": "inspect", "token", "root_public"}                            -> {"blocks", "revocation_ids"}
Any failure answers {"error": "...", "error_type": "..."}; the peer never exits on bad input.
"""
import datetime
import json
import sys

import biscuit_auth as b

ED25519 = b.Algorithm.Ed25519


def private_key(hex_key):
    return b.PrivateKey.from_bytes(bytes.fromhex(hex_key), ED25519)


def public_key(hex_key):
    return b.PublicKey.from_bytes(bytes.fromhex(hex_key), ED25519)


def load(req):
    return b.Biscuit.from_base64(req["token"], public_key(req["root_public"]))


def handle(req):
    op = req.get("op")
    if op == "mint":
        return {"token": b.BiscuitBuilder(req["code"]).build(private_key(req["root"])).to_base64()}
    if op == "append":
        return {"token": load(req).append(b.BlockBuilder(req["code"])).to_base64()}
    if op == "append_third_party":
        token = load(req)
        signer = private_key(req["signer"])
        block = token.third_party_request().create_block(signer, b.BlockBuilder(req["code"]))
        signer_public = b.KeyPair.from_private_key(signer).public_key
        return {"token": token.append_third_party(signer_public, block).to_base64()}
    if op == "authorize":
        builder = b.AuthorizerBuilder(req["code"])
        # The default run limit (1 ms) makes outcomes depend on the machine's load: allow a second.
        limits = builder.limits()
        limits.max_time = datetime.timedelta(seconds=1)
        builder.set_limits(limits)
        authorizer = builder.build(load(req))
        try:
            return {"ok": True, "policy": authorizer.authorize()}
        except b.AuthorizationError as e:
            return {"ok": False, "error": str(e)}
    if op == "inspect":
        token = load(req)
        return {
            "blocks": [token.block_source(i) for i in range(token.block_count())],
            "revocation_ids": [bytes(r).hex() if not isinstance(r, str) else r for r in token.revocation_ids],
        }
    raise ValueError(f"unknown op {op!r}")


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as e:  # report every failure as data, never die
            answer = {"error": str(e), "error_type": type(e).__name__}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
