"""Times agent-identity-protocol's own verifier on one AIP chained token.

Run by `baton-bench python` (and so by scripts/bench.sh), which passes the token that the
Swift side times, so both verifiers see the same bytes:

    bench_aip_verifier.py TOKEN_B64 ROOT_KEY_HEX TOOL [--batches N] [--iterations N] [--warmup N]

Before timing, the script checks that the package accepts the token for TOOL and refuses the
same token with one byte of its last signature changed, so that what is timed really verifies.
Timing mirrors baton-bench: warm-up calls, then the median over batches of a fixed number of
calls, each batch timed with time.perf_counter_ns. Prints one JSON object on stdout.
"""
from __future__ import annotations

import argparse
import base64
import json
import platform
import sys
import time
from importlib.metadata import version


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("token")
    parser.add_argument("root_key")
    parser.add_argument("tool")
    parser.add_argument("--batches", type=int, default=15)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()

    try:
        from aip_token import ChainedToken, TokenError
    except Exception as exc:  # the caller reports this, with the interpreter it used
        print(json.dumps({"error": f"cannot import agent-identity-protocol: {exc}"}))
        return 2

    relax_time_limit()
    root = bytes.fromhex(args.root_key)
    token = args.token

    def authorize() -> int:
        tok = ChainedToken.from_base64(token, root)
        tok.authorize(args.tool, root)
        return tok.current_depth()

    def verify_chain() -> int:
        tok = ChainedToken.from_base64(token, root)
        tok.verify_chain(root)
        return tok.current_depth()

    try:
        depth = authorize()
    except TokenError as exc:
        print(json.dumps({"error": f"the package refuses the benchmark token: {exc.code}: {exc}"}))
        return 2
    if not refuses(tampered(token), root, args.tool, ChainedToken):
        print(json.dumps({"error": "the package accepts the token with a changed signature byte: nothing would be verified"}))
        return 2

    measurements = [
        measure("from_base64 + authorize(tool): V1, V3-V6", authorize, args),
        measure("from_base64 + verify_chain: V1, V3-V5", verify_chain, args),
    ]
    print(json.dumps({
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "agent_identity_protocol": version("agent-identity-protocol"),
        "biscuit_python": version("biscuit-python"),
        "depth": depth,
        "measurements": measurements,
    }))
    return 0


def relax_time_limit() -> None:
    """Raises biscuit's 1 ms Datalog time limit to 1 s for the package's authorizers.

    On a loaded machine a preempted run can exceed 1 ms and fail the benchmark; the limit is a
    defence, not part of what is measured. Baton's side does the same (BenchChain).
    """
    import datetime
    import aip_token.chained as chained

    original = chained.AuthorizerBuilder

    def relaxed(*args, **kwargs):
        builder = original(*args, **kwargs)
        limits = builder.limits()
        limits.max_time = datetime.timedelta(seconds=1)
        builder.set_limits(limits)
        return builder

    chained.AuthorizerBuilder = relaxed


def tampered(token: str) -> str:
    """The token with one byte near its end (inside the last block's signature or proof) flipped."""
    padded = token + "=" * (-len(token) % 4)
    raw = bytearray(base64.urlsafe_b64decode(padded))
    raw[-40] ^= 0x01
    out = base64.urlsafe_b64encode(bytes(raw)).decode()
    return out if token.endswith("=") else out.rstrip("=")


def refuses(token: str, root: bytes, tool: str, chained_token) -> bool:
    try:
        chained_token.from_base64(token, root).authorize(tool, root)
    except Exception:
        return True
    return False


def measure(name: str, body, args) -> dict:
    acc = 0
    for _ in range(args.warmup):
        acc += body()
    per_call = []
    for _ in range(args.batches):
        start = time.perf_counter_ns()
        for _ in range(args.iterations):
            acc += body()
        per_call.append((time.perf_counter_ns() - start) / args.iterations)
    per_call.sort()
    n = len(per_call)
    median = per_call[n // 2] if n % 2 else (per_call[n // 2 - 1] + per_call[n // 2]) / 2
    return {"name": name, "median_ns": median, "min_ns": per_call[0], "max_ns": per_call[-1],
            "batches": args.batches, "iterations": args.iterations, "checksum": acc}


if __name__ == "__main__":
    sys.exit(main())
