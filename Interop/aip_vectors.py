#!/usr/bin/env python3
"""Baton's static AIP test vectors through the PyPI package agent-identity-protocol 0.6.0, without Baton.

Reads Fixtures/vectors/{aip-chained,aip-compact,aip-jwt-chain}.json (written by
`baton vectors export`), gives each test's input to the package, compares its
answer with the test's expected result and prints a table per profile. The
package has known defects, so failures are expected: the table shows them, and
the script exits 0 whenever it could run the vectors (2 when it could not).

How each input reaches the package (its public entry points only):

  aip-chained, aip-jwt-chain   input with an audience: the A2A binding,
                               aip_a2a.verify_a2a_task(task, expected_audience,
                               root_public_key_bytes, required_scope), the token
                               at params.metadata.aip_token (absent when the
                               input has none). Without an audience: JwtChain.verify
                               / ChainedToken.from_base64, then authorize(scope).
  aip-compact                  the MCP binding, aip_mcp.middleware.verify_request
                               with the token in X-AIP-Token. The package checks no
                               audience on compact tokens; the input's is unused.

The package takes no registry (`identities`), revocation status or
signed-delegation requirement: those inputs are dropped, and the table counts
the tests that carried them ("dropped"). The package reads the wall clock, so
each call runs with the clocks it reads pinned at the input's `now`.

Usage: .venv/bin/python Interop/aip_vectors.py [--vectors DIR] [--failures]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import sys
import time
from pathlib import Path
from unittest import mock

PROFILES = ("aip-chained", "aip-compact", "aip-jwt-chain")

try:
    import aip_token.chained
    import aip_token.policy
    import jwt.api_jwt
    from aip_a2a import A2AError, verify_a2a_task
    from aip_mcp.middleware import verify_request
    from aip_token import ChainedToken, TokenError
    from aip_token.jwt_chain import JwtChain
except ImportError as exc:  # reported by main()
    PACKAGE_ERROR = f"{type(exc).__name__}: {exc}"
else:
    PACKAGE_ERROR = None


@contextlib.contextmanager
def clock_at(now: int):
    """Pins what the package reads as the current time: time.time(), and datetime.now() in the
    modules that imported the datetime class (aip_token.chained, aip_token.policy, PyJWT)."""

    class PinnedDateTime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.fromtimestamp(now, tz)

        @classmethod
        def utcnow(cls):
            return datetime.datetime.fromtimestamp(now, datetime.timezone.utc).replace(tzinfo=None)

    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch("time.time", lambda: float(now)))
        for module in (aip_token.chained, aip_token.policy, jwt.api_jwt):
            stack.enter_context(mock.patch.object(module, "datetime", PinnedDateTime))
        if int(time.time()) != now or int(aip_token.chained.datetime.now(datetime.timezone.utc).timestamp()) != now:
            raise RuntimeError("the clock could not be pinned")
        yield


def aip_code(code: str) -> str:
    return code if code.startswith("aip_") else f"aip_{code}"


def decide(profile: str, params: dict) -> tuple[str, str | None, str]:
    """The package's answer to one input: ("accept", None, "") or ("reject", code, message),
    or ("error", None, message) when it raised something that is not one of its refusals."""
    token = params.get("token")
    root = bytes.fromhex(params["root_key"])
    audience = params.get("audience")
    scope = params.get("required_scope")
    try:
        with clock_at(params["now"]):
            if profile == "aip-compact":
                verify_request({"X-AIP-Token": token} if token is not None else {}, root, scope or "")
            elif audience is not None:
                metadata = {} if token is None else {"aip_token": token}
                task = {"jsonrpc": "2.0", "method": "tasks/send", "params": {"id": "vector", "metadata": metadata}}
                verify_a2a_task(task, expected_audience=audience, root_public_key_bytes=root, required_scope=scope or "")
            elif token is None:
                return "reject", "aip_token_missing", "no token (not given to the package)"
            elif profile == "aip-jwt-chain":
                chain = JwtChain.verify(token, root, params["now"])
                if scope is not None:
                    chain.authorize(scope)
            else:
                chained = ChainedToken.from_base64(token, root)
                if scope is not None:
                    chained.authorize(scope, root)
                else:
                    chained.verify_chain(root)
    except A2AError as exc:
        return "reject", exc.code, str(exc)
    except TokenError as exc:
        return "reject", aip_code(exc.code), str(exc)
    except Exception as exc:  # the package failed in a way it does not document
        return "error", None, f"{type(exc).__name__}: {exc}"
    return "accept", None, ""


def judge(test: dict, verdict: str, code: str | None) -> str:
    """passed, other_code, accepted_invalid, refused_valid or error."""
    if verdict == "error":
        return "error"
    if test["result"] == "valid":
        return "passed" if verdict == "accept" else "refused_valid"
    if verdict == "accept":
        return "accepted_invalid"
    if test["any_code"] or code in test["accepted_codes"]:
        return "passed"
    return "other_code"


COLUMNS = ("tests", "passed", "other_code", "accepted_invalid", "refused_valid", "error", "dropped")
HEADINGS = ("tests", "passed", "refused, other code", "accepted, must refuse", "refused, must accept", "errors", "dropped")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", default=str(Path(__file__).resolve().parent.parent / "Fixtures" / "vectors"))
    parser.add_argument("--failures", action="store_true", help="list every test that did not pass")
    args = parser.parse_args()
    if PACKAGE_ERROR is not None:
        print(f"aip_vectors: cannot import agent-identity-protocol: {PACKAGE_ERROR}", file=sys.stderr)
        return 2
    try:
        from importlib.metadata import version

        package = f"agent-identity-protocol {version('agent-identity-protocol')}"
    except Exception:
        package = "agent-identity-protocol (version unknown)"

    rows = []
    failures = []
    for profile in PROFILES:
        path = Path(args.vectors) / f"{profile}.json"
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            groups = document["test_groups"]
        except (OSError, ValueError, KeyError) as exc:
            print(f"aip_vectors: cannot read {path}: {exc}", file=sys.stderr)
            return 2
        counts = dict.fromkeys(COLUMNS, 0)
        for group in groups:
            for test in group["tests"]:
                params = test["input"]
                counts["tests"] += 1
                if params.get("revocation") is not None or params.get("require_signed_delegation"):
                    counts["dropped"] += 1
                verdict, code, message = decide(profile, params)
                outcome = judge(test, verdict, code)
                counts[outcome] += 1
                if outcome != "passed":
                    expected = test["result"] + (f" {test['code']}" if test["code"] else "")
                    got = verdict + (f" {code}" if code else "") + (f": {message[:100]}" if verdict != "accept" else "")
                    failures.append(f"{profile} #{test['id']} {test['scenario']}: expected {expected}, got {got}")
        rows.append((profile, counts))

    print(f"Baton's static vectors ({args.vectors}) through {package}, without Baton")
    print()
    print("| profile | " + " | ".join(HEADINGS) + " |")
    print("|---|" + "---:|" * len(HEADINGS))
    total = dict.fromkeys(COLUMNS, 0)
    for profile, counts in rows:
        print(f"| {profile} | " + " | ".join(str(counts[c]) for c in COLUMNS) + " |")
        for c in COLUMNS:
            total[c] += counts[c]
    print("| all | " + " | ".join(str(total[c]) for c in COLUMNS) + " |")
    print()
    print("dropped: tests whose revocation status or signed-delegation requirement the package cannot take;")
    print("it decided them without (the registry, which it does not read either, is in every test).")
    if args.failures:
        print()
        for line in failures:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
