"""The smallest baton-testee/1 verifier: accepts every token without looking at it.
Used by `baton-bench testee` to measure the protocol's own round-trip cost."""
import json
import sys

for line in sys.stdin:
    request = json.loads(line)
    if request["op"] == "handshake":
        result = {"name": "trivial", "version": "1", "profiles": ["aip-chained"], "roles": ["verifier"], "options": ["clock"]}
    elif request["op"] == "shutdown":
        print(json.dumps({"id": request["id"], "ok": True}), flush=True)
        break
    else:
        result = {"valid": True}
    print(json.dumps({"id": request["id"], "ok": True, "result": result}), flush=True)
