#!/usr/bin/env python3
"""A baton-testee/1 testee that misbehaves on purpose, for TesteeProcessTests.

Usage: misbehaving_testee.py MODE [ONCE_FILE]

It answers the handshake (roles issuer + verifier, profile aip-chained) and then
behaves according to MODE when it receives `verify`:

  ok               accepts every token ({"valid": true})
  crash-on-verify  writes to stderr, exits with status 3
  signal-on-verify kills itself with SIGSEGV
  close-stdout     closes its standard output and keeps running
  hang-on-verify   never answers
  slow-verify      waits 1.5 s, then accepts (a slow implementation, for the live progress line)
  garbage          answers a line that is not JSON
  non-object       answers a JSON array
  wrong-id         answers with another id
  huge-line        answers a 2 MiB line
  no-newline       writes half an answer without a newline, then waits forever
  endless-line     writes bytes without any newline, forever
  unsupported      answers ok:false with code "unsupported" (mint and delegate too)
  bad-handshake    answers the handshake without the required fields
  exit-immediately writes to stderr and exits with status 2 before reading anything

With ONCE_FILE, the misbehaviour happens only while that file does not exist:
the script creates it when it misbehaves, so the restarted testee behaves (`ok`).
Standard library only.
"""
import json
import os
import signal
import sys
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "ok"
ONCE_FILE = sys.argv[2] if len(sys.argv) > 2 else None


def log(msg):
    sys.stderr.write(f"misbehaving_testee[{MODE}]: {msg}\n")
    sys.stderr.flush()


def misbehaving():
    """True when MODE applies now (and, with ONCE_FILE, records that it did)."""
    if ONCE_FILE is None:
        return True
    if os.path.exists(ONCE_FILE):
        return False
    with open(ONCE_FILE, "w") as f:
        f.write("done\n")
    return True


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def raw(text):
    sys.stdout.write(text)
    sys.stdout.flush()


def forever():
    while True:
        time.sleep(3600)


def on_verify(rid):
    if MODE == "ok" or not misbehaving():
        return send({"id": rid, "ok": True, "result": {"valid": True, "details": ["V1 passed: stub"]}})
    if MODE == "crash-on-verify":
        log("about to crash: simulated fault in verify")
        sys.exit(3)
    if MODE == "signal-on-verify":
        os.kill(os.getpid(), signal.SIGSEGV)
    if MODE == "close-stdout":
        sys.stdout.close()
        os.close(1)
        forever()
    if MODE == "slow-verify":
        time.sleep(1.5)
        return send({"id": rid, "ok": True, "result": {"valid": True}})
    if MODE == "hang-on-verify":
        log("hanging")
        forever()
    if MODE == "garbage":
        return raw("<html>this is not json</html>\n")
    if MODE == "non-object":
        return raw("[1, 2, 3]\n")
    if MODE == "wrong-id":
        return send({"id": rid + 100, "ok": True, "result": {"valid": True}})
    if MODE == "huge-line":
        return send({"id": rid, "ok": True, "result": {"valid": True, "pad": "x" * (2 << 20)}})
    if MODE == "no-newline":
        raw('{"id": %d, "ok": true' % rid)
        forever()
    if MODE == "endless-line":
        chunk = "y" * 65536
        while True:
            raw(chunk)
    if MODE == "unsupported":
        return send({"id": rid, "ok": False, "error": {"code": "unsupported", "message": "revocation is not implemented"}})
    return send({"id": rid, "ok": True, "result": {"valid": True}})


def main():
    if MODE == "exit-immediately":
        log("fatal: cannot start (simulated)")
        sys.exit(2)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        rid, op = req["id"], req["op"]
        if op == "handshake":
            if MODE == "bad-handshake":
                send({"id": rid, "ok": True, "result": {"hello": "world"}})
            else:
                send({"id": rid, "ok": True, "result": {
                    "name": "misbehaving-" + MODE, "version": "0.0.1", "profiles": ["aip-chained"],
                    "roles": ["issuer", "verifier", "auditor"], "options": ["clock"]}})
        elif op == "verify":
            on_verify(rid)
        elif op in ("mint", "delegate"):
            if MODE == "unsupported":
                send({"id": rid, "ok": False, "error": {"code": "unsupported", "message": f"{op} is not implemented"}})
            else:
                send({"id": rid, "ok": False, "error": {"code": "aip_token_malformed", "message": f"{op} refused"}})
        elif op == "shutdown":
            send({"id": rid, "ok": True})
            return
        else:
            send({"id": rid, "ok": False, "error": {"code": "unsupported", "message": f"unknown op {op}"}})


if __name__ == "__main__":
    main()
