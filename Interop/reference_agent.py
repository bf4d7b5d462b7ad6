#!/usr/bin/env python3
"""A reference external agent for Baton's workflows: it plays the writer or the researcher.

Speaks baton-testee/1 (docs/TESTEE-PROTOCOL.md) with one role, `agent`, for the
profile aip-chained. A workflow scenario that marks the writer or the researcher
`external: true` (Scenarios/workflows/external/) sends every task for that agent
here as an `agent_task` request; this agent decides as that agent would, and
Baton carries out what it asks for (as that agent) and judges it against the
agent's stated plan.

What it checks, with the PyPI package `agent-identity-protocol` 0.6.0 (the A2A
binding, `aip_a2a.verify_a2a_task`, on the task object exactly as received,
with the package's clock frozen at the request's `now` by the freeze of
Interop/aip_adapter.py):
  - the token is at params.metadata.aip_token of the task and parses;
  - every signature back to the root key Baton's `verify` field names (V1);
  - the token is a delegation (at least one delegation block) whose final
    delegate is this agent's own identity (`identity`: the audience check);
  - when the task names a skill: that the chain authorizes it end to end
    (without one: the chain itself, `verify_chain`), expiry included.
A refusal is answered with the package's own code (`aip_audience_mismatch`,
`aip_chain_invalid`, `aip_scope_insufficient`, `aip_token_expired`) and no
step: the package reports none, so Baton judges the code alone.

What it does not check: revocation (V7; a task with revoked keys or ids is
answered `unsupported`, an empty revocation list is ignored), delegator
signatures (`require_signed_delegation` is answered `unsupported`), identity
documents (V2: the package does none), anything of the JWT-chain or compact
profiles. It does not check that its tools accept the token: the tool server
verifies each call itself.

What it does when it accepts:
  - as the writer: asks for one `docs.write` call, titled with the task's text,
    made with the token it received. It adds no artifacts of its own (the draft
    is the tool's output, which Baton adds to the answer).
  - as the researcher: asks for one `research.search` call with the task's text
    as the query, then delegates the drafting to the writer with a token it makes
    itself with the package (`ChainedToken.delegate`: scope tool:docs.write,
    50 cents, purpose "draft the summary", task "Draft: <task text>"), addressed to
    the identity the writer's card lists in `peers`. Baton sends that task over its
    bus as the researcher; the writer's answer comes back in the task's answer.

Run: baton run --iut 'cmd:.venv/bin/python Interop/reference_agent.py' Scenarios/workflows/external
"""
from __future__ import annotations

import json
import sys
import traceback

# The adapter of the same package: its stdout discipline (answers on a private
# duplicate of fd 1), its clock freeze, its package imports and error mapping.
import aip_adapter as aip

NAME = "reference-agent"
VERSION = "0.2.0"
PROFILE = "aip-chained"


def log(msg: str) -> None:
    try:
        sys.stderr.write(f"reference_agent: {msg}\n")
        sys.stderr.flush()
    except Exception:
        pass


def op_handshake(params: dict) -> dict:
    if params.get("protocol") != aip.PROTOCOL:
        raise aip.Refusal("protocol_mismatch", f"expected {aip.PROTOCOL!r}, got {params.get('protocol')!r}")
    if aip.IMPORT_ERROR is not None:
        raise aip.Refusal("testee_unavailable", f"cannot import {aip.PACKAGE}: {aip.IMPORT_ERROR}")
    # `clock` only when the adapter's self-test shows the package's clock can be frozen at `now`.
    options = ["clock"] if aip.clock_self_test() else []
    return {"name": NAME, "version": f"{VERSION} (agent-identity-protocol {aip.package_version()})",
            "profiles": [PROFILE], "roles": ["agent"], "options": options}


def refuse(code: str, message: str) -> dict:
    return {"outcome": {"verdict": "reject", "code": code, "message": aip.clip(message)}, "actions": []}


def check_task(task: dict, verify: dict, identity: str):
    """None when the task's token is good for this agent, else the refusal's answer."""
    if verify.get("require_signed_delegation"):
        raise aip.unsupported("require_signed_delegation: the package cannot check delegator signatures")
    revocation = verify.get("revocation")
    if revocation and (revocation.get("revoked_keys") or revocation.get("revoked_ids")):
        raise aip.unsupported("revocation (V7): the package does not check revocation")
    root = aip.hex_bytes(aip.need(verify, "root_key"), "root_key")
    scope = verify.get("required_scope")
    with aip.frozen_clock(verify.get("now")):
        try:
            if scope is not None:
                aip.verify_a2a_task(task, expected_audience=identity, root_public_key_bytes=root, required_scope=scope)
            else:
                aip._a2a_verify_without_scope(task, identity, root)
        except aip.A2AError as exc:
            return refuse(getattr(exc, "code", None) or "aip_a2a_error", aip.describe(exc))
        except aip.TokenError as exc:
            return refuse(aip.wire_code(exc), aip.describe(exc))
        except Exception as exc:
            return refuse("aip_token_malformed", f"unexpected {type(exc).__name__} from the package: {exc}")
    return None


def task_text(task: dict) -> str:
    message = (task.get("params") or {}).get("message") or {}
    parts = message.get("parts") or []
    return "\n".join(p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str))


# What the researcher hands to the writer.
DRAFT_SCOPE = "tool:docs.write"
DRAFT_BUDGET_CENTS = 50
DRAFT_PURPOSE = "draft the summary"


def offers(params: dict, tool: str) -> bool:
    return any(isinstance(t, dict) and t.get("name") == tool for t in params.get("tools") or [])


def write(params: dict, text: str) -> dict:
    if not offers(params, "docs.write"):
        return refuse("agent_tool_unavailable", "the tool server offers no docs.write")
    return {"outcome": {"verdict": "accept"},
            "actions": [{"call": {"tool": "docs.write", "arguments": {"title": text or "untitled"}, "token": "received"}}],
            "artifacts": []}


def research(params: dict, task: dict, verify: dict, identity: str, text: str) -> dict:
    if not offers(params, "research.search"):
        return refuse("agent_tool_unavailable", "the tool server offers no research.search")
    writer = next((p.get("identity") for p in params.get("peers") or []
                   if isinstance(p, dict) and p.get("name") == "writer"), None)
    if not isinstance(writer, str):
        return refuse("agent_peer_unknown", "no writer on the bus to draft the summary")
    token = ((task.get("params") or {}).get("metadata") or {}).get("aip_token")
    root = aip.hex_bytes(aip.need(verify, "root_key"), "root_key")
    with aip.frozen_clock(verify.get("now")):
        try:
            held = aip.ChainedToken.from_base64(token, root)
            draft = held.delegate(identity, writer, [DRAFT_SCOPE], DRAFT_BUDGET_CENTS, DRAFT_PURPOSE).to_base64()
        except aip.TokenError as exc:
            return refuse(aip.wire_code(exc), f"the package would not delegate: {aip.describe(exc)}")
    return {"outcome": {"verdict": "accept"},
            "actions": [
                {"call": {"tool": "research.search", "arguments": {"query": text}, "token": "received"}},
                {"delegate": {"to": "writer", "scopes": [DRAFT_SCOPE], "budget_cents": DRAFT_BUDGET_CENTS,
                              "purpose": DRAFT_PURPOSE, "task": f"Draft: {text}", "token": draft}},
            ],
            "artifacts": []}


def op_agent_task(params: dict) -> dict:
    if params.get("profile") != PROFILE:
        raise aip.unsupported(f"profile {params.get('profile')!r}")
    agent = params.get("agent")
    if agent not in ("writer", "researcher"):
        raise aip.unsupported(f"this agent plays the writer or the researcher, not {agent!r}")
    task, verify = params.get("task"), params.get("verify")
    identity = aip.need(params, "identity")
    if not isinstance(task, dict) or not isinstance(verify, dict):
        raise aip.bad_request("task and verify must be objects")
    refusal = check_task(task, verify, identity)
    if refusal is not None:
        return refusal
    text = task_text(task).strip()
    if agent == "writer":
        return write(params, text)
    return research(params, task, verify, identity, text)


def answer(text: str) -> tuple[dict, bool]:
    try:
        req = json.loads(text)
    except Exception as exc:
        return {"id": None, "ok": False, "error": {"code": "bad_request", "message": f"not JSON: {exc}"}}, False
    rid = req.get("id") if isinstance(req, dict) else None
    op = req.get("op") if isinstance(req, dict) else None
    params = (req.get("params") if isinstance(req, dict) else None) or {}
    try:
        if op == "shutdown":
            return {"id": rid, "ok": True, "result": {}}, True
        if op == "handshake":
            return {"id": rid, "ok": True, "result": op_handshake(params)}, False
        if aip.IMPORT_ERROR is not None:
            raise aip.Refusal("testee_unavailable", f"cannot import {aip.PACKAGE}: {aip.IMPORT_ERROR}")
        if op == "agent_task":
            return {"id": rid, "ok": True, "result": op_agent_task(params)}, False
        raise aip.unsupported(f"op {op!r}: this testee only plays agents (agent_task)")
    except aip.Refusal as ref:
        return {"id": rid, "ok": False, "error": {"code": ref.code, "message": aip.clip(ref.message)}}, False
    except Exception as exc:
        log(traceback.format_exc())
        return {"id": rid, "ok": False, "error": {"code": "internal_error", "message": aip.clip(f"{type(exc).__name__}: {exc}")}}, False


def main() -> int:
    for raw in sys.stdin.buffer:
        text = raw.decode("utf-8", errors="replace").strip()
        if not text:
            continue
        reply, stop = answer(text)
        result = reply.get("result") or {}
        log(f"{reply.get('id')}: " + (str((result.get("outcome") or {}).get("verdict", "ok")) if reply["ok"] else reply["error"]["code"]))
        try:
            aip.OUT.write(aip.encode(reply) + "\n")
            aip.OUT.flush()
        except (BrokenPipeError, OSError):
            return 0
        if stop:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
