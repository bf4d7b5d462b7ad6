#!/usr/bin/env python3
"""Reproduces, with delcred 0.2.0's own API and no Baton, each entry of
Fixtures/known-failures/delcred.txt. Real clock, a throw-away delcred home.

  .venv-delcred/bin/python Interop/delcred_defects.py     # exits 1 if one no longer reproduces
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import delcred
from delcred import exchange, tokens

home = Path(tempfile.mkdtemp(prefix="delcred-defects."))
delcred.init(base=home)
(home / "policy.yaml").write_text(
    "grants:\n  - {user: alice, agent: researcher, scopes: [search], resources: [https://api], max_ttl: 900}\n"
)
failures = 0


def check(name: str, reproduced: bool, what: str) -> None:
    global failures
    failures += 0 if reproduced else 1
    print(f"{'reproduced' if reproduced else 'NOT REPRODUCED'}: {name}: {what}")


def exchanges(subject: str, actor: str, scope: str = "search") -> str:
    try:
        exchange.exchange(subject_token=subject, actor_token=actor, scope=scope, resource="https://api", base=home)
        return "issued"
    except (exchange.ExchangeError, delcred.PolicyError) as e:
        return f"{type(e).__name__}: {e}"


user = delcred.user_token("alice", base=home)
agent = delcred.agent_token("researcher", ttl=60, base=home)

# 60 s of leeway (tokens.CLOCK_SKEW_LEEWAY) on exp: tokens that expired 30 s ago are still taken.
expired_user = tokens.mint_user_token("alice", ttl=-30, base=home)
expired_agent = tokens.mint_agent_token("researcher", ttl=-30, base=home)
check("expired-subject-token", exchanges(expired_user, agent) == "issued", "a subject token 30 s past exp is exchanged")
check("actor-assertion-expired", exchanges(user, expired_agent) == "issued", "an actor token 30 s past exp is exchanged")
# (an exchange clamps ttl to at least 1 s, so the expired delegation is minted directly)
expired_delegation = tokens.mint_delegation_token(user="alice", agent="researcher", scope="search", resource="https://api", ttl=-30, base=home)
try:
    exchange.verify(expired_delegation, expected_resource="https://api", base=home)
    check("expired-token", True, "a delegation 30 s past exp verifies")
except delcred.TokenError as e:
    check("expired-token", False, str(e))

# Actor tokens: reusable bearer tokens of any lifetime.
long_agent = delcred.agent_token("researcher", ttl=86400, base=home)
check("actor-assertion-long-lived", exchanges(user, long_agent) == "issued", "a day-long actor token is accepted (no cap)")
check("actor-assertion-replayed", exchanges(user, agent) == exchanges(user, agent) == "issued", "the same actor token is exchanged twice")

# The delegation's exp is not bounded by the subject token's.
short_user = delcred.user_token("alice", ttl=100, base=home)
minted = exchange.exchange(subject_token=short_user, actor_token=agent, scope="search", resource="https://api", base=home)
sub_exp, del_exp = tokens.decode_unverified(short_user)["exp"], minted.claims["exp"]
check("exchanged-token-outlives-parent", del_exp > sub_exp, f"the delegation lives {del_exp - sub_exp} s longer than its subject token")

# RFC 8693 §2.1: scope is OPTIONAL; delcred refuses a request without one.
check("scope-is-an-intersection", exchanges(user, agent, scope="").startswith("PolicyError: scope must not be empty"), "no scope: refused")

sys.exit(1 if failures else 0)
