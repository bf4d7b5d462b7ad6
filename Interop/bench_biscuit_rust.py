"""Times the Rust Biscuit reference (biscuit-python's Rust core) on one token, stage by stage.

Run by `baton-bench rust` (and so by scripts/bench.sh), which passes the token, root key and
authorizer code that its Swift side times, so both sides do the same work on the same bytes:

    bench_biscuit_rust.py TOKEN_B64 ROOT_KEY_HEX AUTHORIZER_CODE [--batches N] [--iterations N] [--warmup N]

What is timed, each a call into Rust from Python:
  full       Biscuit.from_base64(token, root) then builder.build(token).authorize(), with the
             authorizer's code parsed once beforehand (as the Swift side parses its authorizer once)
  verified   Biscuit.from_base64 alone: base64, protobuf, the block signatures, the proof, and
             the blocks decoded into Datalog
  unverified UnverifiedBiscuit.from_base64: the same without any signature or proof check
  authorize  builder.build(token).authorize() on a token parsed beforehand
  builder    AuthorizerBuilder(code): parsing the authorizer's code (not in the full path)
  call       token.block_count(): what one Python → Rust call costs by itself

Before timing, the script checks that the token is allowed (policy 0) and that the token with one
byte of its last signature or proof changed is refused, so that what is timed really verifies.
Timing mirrors baton-bench: warm-up calls, then the median over batches of a fixed number of calls,
each batch timed with time.perf_counter_ns. Prints one JSON object on stdout.
"""
from __future__ import annotations

import argparse
import base64
import datetime
import json
import platform
import sys
import time
from importlib.metadata import version


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("token")
    parser.add_argument("root_key")
    parser.add_argument("code")
    parser.add_argument("--batches", type=int, default=15)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()

    try:
        import biscuit_auth as b
    except Exception as exc:  # the caller reports this, with the interpreter it used
        print(json.dumps({"error": f"cannot import biscuit_auth (biscuit-python): {exc}"}))
        return 2

    try:
        root = b.PublicKey.from_bytes(bytes.fromhex(args.root_key), b.Algorithm.Ed25519)
        builder = b.AuthorizerBuilder(args.code)
        # The default 1 ms Datalog limit would let a preempted run fail the benchmark; the Swift
        # side raises its limit to 1 s too. The limit is a defence, not what is measured.
        limits = builder.limits()
        limits.max_time = datetime.timedelta(seconds=1)
        builder.set_limits(limits)
    except Exception as exc:
        print(json.dumps({"error": f"cannot set up the authorizer: {exc}"}))
        return 2
    token = args.token

    def full() -> int:
        tok = b.Biscuit.from_base64(token, root)
        return builder.build(tok).authorize() + tok.block_count()

    def verified() -> int:
        return b.Biscuit.from_base64(token, root).block_count()

    def unverified() -> int:
        return b.UnverifiedBiscuit.from_base64(token).block_count()

    try:
        parsed = b.Biscuit.from_base64(token, root)
        policy = builder.build(parsed).authorize()
    except Exception as exc:
        print(json.dumps({"error": f"the Rust reference refuses the benchmark token: {type(exc).__name__}: {exc}"}))
        return 2

    def authorize() -> int:
        return builder.build(parsed).authorize() + 1

    def parse_builder() -> int:
        b.AuthorizerBuilder(args.code)
        return 1

    def call() -> int:
        return parsed.block_count()

    if policy != 0:
        print(json.dumps({"error": f"the Rust reference allowed with policy {policy}, not 0"}))
        return 2
    try:
        b.Biscuit.from_base64(tampered(token), root)
    except Exception:
        pass
    else:
        print(json.dumps({"error": "the Rust reference accepts the token with a changed signature byte: nothing would be verified"}))
        return 2

    measurements = [
        measure("full", full, args),
        measure("verified", verified, args),
        measure("unverified", unverified, args),
        measure("authorize", authorize, args),
        measure("builder", parse_builder, args),
        measure("call", call, args),
    ]
    print(json.dumps({
        "python": platform.python_version(),
        "biscuit_python": version("biscuit-python"),
        "blocks": parsed.block_count(),
        "measurements": measurements,
    }))
    return 0


def tampered(token: str) -> str:
    """The token with one byte near its end (inside the last block's signature or proof) flipped."""
    padded = token + "=" * (-len(token) % 4)
    raw = bytearray(base64.urlsafe_b64decode(padded))
    raw[-40] ^= 0x01
    out = base64.urlsafe_b64encode(bytes(raw)).decode()
    return out if token.endswith("=") else out.rstrip("=")


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
