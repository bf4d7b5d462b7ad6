/// The Python testee skeleton `baton init adapter --lang python` writes (`adapter.py`): standard
/// library only, one request per line on stdin, one answer per line on stdout (docs/TESTEE-PROTOCOL.md).
/// `__NAME__` is replaced by the adapter's name.
enum PythonAdapterTemplate {
    static let adapter = #"""
        #!/usr/bin/env python3
        """__NAME__: a Baton testee (protocol baton-testee/1, docs/TESTEE-PROTOCOL.md in Baton).

        Written by `baton init adapter --lang python`. Baton starts this program, sends one JSON request
        per line on standard input and reads one JSON answer per line on standard output; anything on
        standard error is kept as the testee's log. Run it under Baton:

            baton run --iut 'cmd:python3 adapter.py'

        What is here works as it is: the handshake, the dispatch of every operation, and answers that
        Baton understands. Every operation but `verify` of a request without a token answers
        `unsupported`, so Baton skips the scenario and names the function to write. Fill them in one by one
        with calls into your library; declare in HANDSHAKE only what you implement.
        """
        import json
        import sys
        import traceback

        PROTOCOL = "baton-testee/1"

        # What this implementation is and does. Baton skips (with its own reason) the scenarios that need a
        # profile, role or option not listed here, so trim the lists to what you implement.
        HANDSHAKE = {
            "name": "__NAME__",
            "version": "0.0.0",
            # aip-chained (Biscuit chains), aip-jwt-chain, aip-compact, token-exchange (RFC 8693),
            # zeroid, agentic-jwt
            "profiles": ["aip-chained", "aip-jwt-chain", "aip-compact", "token-exchange", "zeroid", "agentic-jwt"],
            # issuer: mint, delegate · verifier: verify · sts: sts_setup, sts_login, sts_exchange
            # agent: agent_task · gateway: gateway_call
            "roles": ["issuer", "verifier", "sts", "agent", "gateway"],
            # clock: you decide with the request's `now`, not your own clock (keep it: every request carries now).
            # Add signed_delegation, registry, revocation when you support them; a verifier without
            # revocation fails the revocation scenarios (the check is mandatory), it is not skipped.
            "options": ["clock"],
        }

        # The code and step a verifier refuses a request without a token with, per profile.
        MISSING_TOKEN = {
            "aip-chained": ("aip_token_missing", "A2A"),
            "aip-jwt-chain": ("aip_token_missing", "A2A"),
            "aip-compact": ("aip_token_missing", "A2A"),
            "token-exchange": ("jwt_token_missing", "J0"),
            "zeroid": ("jwt_token_missing", "J0"),
            "agentic-jwt": ("ajwt_token_missing", "A0"),
        }


        class Unsupported(Exception):
            """This implementation cannot do what the request asks: Baton skips the scenario with this reason."""


        class Refused(Exception):
            """An issuer or token service refuses the request, with the specification's code (aip_*, OAuth errors)."""

            def __init__(self, code, message):
                super().__init__(message)
                self.code = code


        def todo(op):
            raise Unsupported(f"{op} is not implemented yet in {HANDSHAKE['name']} (adapter.py: write {op.replace('-', '_')})")


        # --- issuer -----------------------------------------------------------------------------------

        def mint(params):
            """Issue an authority token. Return {"token": "..."}; raise Refused(code, why) to refuse."""
            todo("mint")


        def delegate(params):
            """Append a delegation to params["token"]. Return {"token": "..."}; raise Refused to refuse."""
            todo("delegate")


        # --- verifier ---------------------------------------------------------------------------------

        def verify(params):
            """Decide about params["token"] at params["now"].

            Return {"valid": True}, or {"valid": False, "code": ..., "step": ..., "message": ...}: a refusal
            is an answer, not an error. Sending `step` (V1..V7, AUD, J0..J8, A0..A9) lets Baton check that the
            right check refused.
            """
            token = params.get("token")
            if not token:
                code, step = MISSING_TOKEN.get(params.get("profile"), ("token_missing", None))
                return {"valid": False, "code": code, "step": step, "message": "no token was presented"}
            todo("verify")


        # --- the other roles: stubs until you play them -----------------------------------------------

        def sts_setup(params):
            """A token service for one scenario (params["session"]): return {"issuer", "jwks", "identities"}."""
            todo("sts_setup")


        def sts_login(params):
            """The root token an agent gets from a person: return {"token"}."""
            todo("sts_login")


        def sts_exchange(params):
            """One token request (RFC 8693 parameters in params["parameters"]): return {"token"} or raise Refused."""
            todo("sts_exchange")


        def agent_task(params):
            """Act as a workflow agent: return {"outcome": {"verdict": ...}, "actions": [...]}."""
            todo("agent_task")


        def gateway_call(params):
            """Decide one call of a workflow: return {"forward": bool, ..., "record": {...}}."""
            todo("gateway_call")


        def handshake(params):
            if params.get("protocol") != PROTOCOL:
                raise Unsupported(f"protocol {params.get('protocol')!r}; this adapter speaks {PROTOCOL}")
            return HANDSHAKE


        OPERATIONS = {
            "handshake": handshake,
            "mint": mint,
            "delegate": delegate,
            "verify": verify,
            "sts_setup": sts_setup,
            "sts_login": sts_login,
            "sts_exchange": sts_exchange,
            "agent_task": agent_task,
            "gateway_call": gateway_call,
        }


        def answer(request):
            """The answer object to one request."""
            rid, op = request.get("id"), request.get("op")
            if op == "shutdown":
                return {"id": rid, "ok": True}
            operation = OPERATIONS.get(op)
            try:
                if operation is None:
                    raise Unsupported(f"unknown operation {op!r}")
                return {"id": rid, "ok": True, "result": operation(request.get("params") or {})}
            except Unsupported as e:
                return {"id": rid, "ok": False, "error": {"code": "unsupported", "message": str(e)}}
            except Refused as e:
                return {"id": rid, "ok": False, "error": {"code": e.code, "message": str(e)}}
            except Exception as e:  # a bug: Baton records it for this scenario and goes on
                traceback.print_exc(file=sys.stderr)
                return {"id": rid, "ok": False, "error": {"code": "internal_error", "message": f"{type(e).__name__}: {e}"}}


        def main():
            for line in sys.stdin:
                if not line.strip():
                    continue
                try:
                    request = json.loads(line)
                    if not isinstance(request, dict):
                        raise ValueError("a request is a JSON object")
                except ValueError as e:
                    print(f"{HANDSHAKE['name']}: unreadable request: {e}", file=sys.stderr, flush=True)
                    continue
                print(json.dumps(answer(request)), flush=True)
                if request.get("op") == "shutdown":
                    return


        if __name__ == "__main__":
            main()

        """#
}
