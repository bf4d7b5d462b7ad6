/// The TypeScript testee skeleton `baton init adapter --lang typescript` writes. Node 20 runs no `.ts`
/// file, and no package may be fetched for the run, so the program is `adapter.mjs`, plain JavaScript
/// that `node` runs as it is, typed by JSDoc annotations against the protocol's types in
/// `protocol.d.ts`: `tsc -p .` (with the `tsconfig.json` written beside it) type-checks it as
/// TypeScript. `__NAME__` is replaced by the adapter's name.
enum TypeScriptAdapterTemplate {
    static let adapter = #"""
        // @ts-check
        /**
         * __NAME__: a Baton testee (protocol baton-testee/1, docs/TESTEE-PROTOCOL.md in Baton).
         *
         * Written by `baton init adapter --lang typescript`. Plain JavaScript typed with JSDoc, so that
         * node runs it as it is (`node adapter.mjs`) and `tsc -p .` checks it against protocol.d.ts.
         * Baton starts it, sends one JSON request per line on standard input and reads one JSON answer
         * per line on standard output; standard error is kept as the testee's log. Run it under Baton:
         *
         *     baton run --iut 'cmd:node adapter.mjs'
         *
         * What is here works as it is: the handshake, the dispatch of every operation, and answers Baton
         * understands. Every operation but `verify` of a request without a token answers `unsupported`, so
         * Baton skips the scenario and names the function to write. Fill them in with calls into your
         * library; declare in HANDSHAKE only what you implement.
         */
        import { createInterface } from "node:readline";

        const PROTOCOL = "baton-testee/1";

        /**
         * What this implementation is and does. Baton skips (with its own reason) the scenarios that need a
         * profile, role or option not listed here, so trim the lists to what you implement.
         * @type {import("./protocol.js").Handshake}
         */
        const HANDSHAKE = {
          name: "__NAME__",
          version: "0.0.0",
          profiles: ["aip-chained", "aip-jwt-chain", "aip-compact", "token-exchange", "zeroid", "agentic-jwt"],
          // issuer: mint, delegate · verifier: verify · sts: sts_setup, sts_login, sts_exchange
          // agent: agent_task · gateway: gateway_call
          roles: ["issuer", "verifier", "sts", "agent", "gateway"],
          // clock: decide with the request's `now`, never your own clock. Add signed_delegation, registry,
          // revocation when you support them; a verifier without revocation fails the revocation
          // scenarios (the check is mandatory), it is not skipped.
          options: ["clock"],
        };

        /** @type {Record<import("./protocol.js").Profile, [string, string]>} */
        const MISSING_TOKEN = {
          "aip-chained": ["aip_token_missing", "A2A"],
          "aip-jwt-chain": ["aip_token_missing", "A2A"],
          "aip-compact": ["aip_token_missing", "A2A"],
          "token-exchange": ["jwt_token_missing", "J0"],
          zeroid: ["jwt_token_missing", "J0"],
          "agentic-jwt": ["ajwt_token_missing", "A0"],
        };

        /** This implementation cannot do what the request asks: Baton skips the scenario with this reason. */
        class Unsupported extends Error {}

        /** An issuer or token service refuses the request, with the specification's code. */
        class Refused extends Error {
          /** @param {string} code @param {string} message */
          constructor(code, message) {
            super(message);
            this.code = code;
          }
        }

        /** @param {string} op @returns {never} */
        function todo(op) {
          throw new Unsupported(`${op} is not implemented yet in ${HANDSHAKE.name} (adapter.mjs: write ${op})`);
        }

        // --- issuer ---------------------------------------------------------------------------------------

        /** Issue an authority token; throw Refused(code, why) to refuse.
         * @param {import("./protocol.js").MintParams} params @returns {import("./protocol.js").TokenResult} */
        function mint(params) {
          return todo("mint");
        }

        /** Append a delegation to params.token; throw Refused to refuse.
         * @param {import("./protocol.js").DelegateParams} params @returns {import("./protocol.js").TokenResult} */
        function delegate(params) {
          return todo("delegate");
        }

        // --- verifier -------------------------------------------------------------------------------------

        /**
         * Decide about params.token at params.now. A refusal is an answer ({valid: false, code, step}), not
         * an error; sending `step` (V1..V7, AUD, J0..J8, A0..A9) lets Baton check which check refused.
         * @param {import("./protocol.js").VerifyParams} params @returns {import("./protocol.js").VerifyResult}
         */
        function verify(params) {
          if (!params.token) {
            const [code, step] = MISSING_TOKEN[params.profile] ?? ["token_missing", "A2A"];
            return { valid: false, code, step, message: "no token was presented" };
          }
          return todo("verify");
        }

        // --- the other roles: stubs until you play them -----------------------------------------------------

        /** @param {Record<string, unknown>} params @returns {Record<string, unknown>} */
        function sts_setup(params) {
          return todo("sts_setup");
        }

        /** @param {Record<string, unknown>} params @returns {import("./protocol.js").TokenResult} */
        function sts_login(params) {
          return todo("sts_login");
        }

        /** @param {Record<string, unknown>} params @returns {import("./protocol.js").TokenResult} */
        function sts_exchange(params) {
          return todo("sts_exchange");
        }

        /** @param {Record<string, unknown>} params @returns {Record<string, unknown>} */
        function agent_task(params) {
          return todo("agent_task");
        }

        /** @param {Record<string, unknown>} params @returns {Record<string, unknown>} */
        function gateway_call(params) {
          return todo("gateway_call");
        }

        /** @param {{protocol?: string}} params @returns {import("./protocol.js").Handshake} */
        function handshake(params) {
          if (params.protocol !== PROTOCOL) {
            throw new Unsupported(`protocol ${JSON.stringify(params.protocol)}; this adapter speaks ${PROTOCOL}`);
          }
          return HANDSHAKE;
        }

        /** @type {Record<string, (params: any) => unknown>} */
        const OPERATIONS = { handshake, mint, delegate, verify, sts_setup, sts_login, sts_exchange, agent_task, gateway_call };

        /** @param {import("./protocol.js").Request} request @returns {import("./protocol.js").Answer} */
        function answer(request) {
          const id = request.id;
          if (request.op === "shutdown") return { id, ok: true };
          const operation = OPERATIONS[request.op];
          try {
            if (!operation) throw new Unsupported(`unknown operation ${JSON.stringify(request.op)}`);
            return { id, ok: true, result: operation(request.params ?? {}) };
          } catch (error) {
            if (error instanceof Unsupported) return { id, ok: false, error: { code: "unsupported", message: error.message } };
            if (error instanceof Refused) return { id, ok: false, error: { code: error.code, message: error.message } };
            // A bug: Baton records it for this scenario and goes on.
            console.error(error);
            return { id, ok: false, error: { code: "internal_error", message: String(error) } };
          }
        }

        const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
        lines.on("line", (line) => {
          if (!line.trim()) return;
          /** @type {import("./protocol.js").Request} */
          let request;
          try {
            request = JSON.parse(line);
            if (typeof request !== "object" || request === null || Array.isArray(request)) throw new Error("a request is a JSON object");
          } catch (error) {
            console.error(`${HANDSHAKE.name}: unreadable request: ${error}`);
            return;
          }
          process.stdout.write(JSON.stringify(answer(request)) + "\n");
          if (request.op === "shutdown") {
            lines.close();
            process.exitCode = 0;
          }
        });

        """#

    static let protocolTypes = #"""
        // The messages of baton-testee/1 (docs/TESTEE-PROTOCOL.md in Baton), for adapter.mjs's JSDoc types.

        export type Profile = "aip-chained" | "aip-jwt-chain" | "aip-compact" | "token-exchange" | "zeroid" | "agentic-jwt";
        export type Role = "issuer" | "verifier" | "sts" | "agent" | "gateway";
        export type Option = "clock" | "signed_delegation" | "registry" | "revocation";

        export interface Handshake {
          name: string;
          version: string;
          profiles: Profile[];
          roles: Role[];
          options: Option[];
        }

        export interface Request {
          id: number;
          op: string;
          params?: Record<string, unknown>;
        }

        export type Answer =
          | { id: number; ok: true; result?: unknown }
          | { id: number; ok: false; error: { code: string; message: string } };

        export interface MintParams {
          profile: Profile;
          issuer: string;
          issuer_key: string;
          scopes: string[];
          principal?: string;
          budget_cents?: number;
          max_depth: number;
          ttl_seconds: number;
          now: number;
          subject?: string;
          subject_key?: string;
        }

        export interface DelegateParams {
          profile: Profile;
          token: string;
          delegator: string;
          delegate: string;
          scopes: string[];
          context: string;
          budget_cents?: number;
          expires_at?: number;
          principal?: string;
          now: number;
          delegator_key?: string;
          delegate_key?: string;
        }

        export interface VerifyParams {
          profile: Profile;
          token: string | null;
          root_key?: string;
          audience?: string;
          required_scope?: string | null;
          now: number;
          require_signed_delegation?: boolean;
          issuer?: string;
          jwks?: string;
          [more: string]: unknown;
        }

        export interface TokenResult {
          token: string;
        }

        export type VerifyResult = { valid: true } | { valid: false; code: string; step?: string; message?: string };

        """#

    /// The little of node's API the adapter uses, declared so that `tsc` checks it without `@types/node`
    /// (which would need a registry); delete it when `@types/node` is installed.
    static let nodeShim = #"""
        // The parts of node's API adapter.mjs uses, so that `tsc -p .` needs no @types/node.
        // With @types/node installed, delete this file (and its line in tsconfig.json) and set "types": ["node"].

        declare module "node:readline" {
          interface LineReader {
            on(event: "line", listener: (line: string) => void): this;
            close(): void;
          }
          export function createInterface(options: { input: unknown; crlfDelay?: number }): LineReader;
        }

        declare const process: {
          stdin: unknown;
          stdout: { write(text: string): boolean };
          exitCode: number | undefined;
        };

        """#

    static let tsconfig = #"""
        {
          "compilerOptions": {
            "allowJs": true,
            "checkJs": true,
            "noEmit": true,
            "strict": true,
            "module": "nodenext",
            "moduleResolution": "nodenext",
            "target": "es2022",
            "types": []
          },
          "files": ["adapter.mjs", "protocol.d.ts", "node-shim.d.ts"]
        }

        """#

    static let packageJSON = #"""
        {
          "name": "__NAME__",
          "version": "0.0.0",
          "private": true,
          "type": "module",
          "description": "A Baton testee (baton-testee/1), written by baton init adapter --lang typescript",
          "scripts": {"start": "node adapter.mjs", "check": "tsc -p ."}
        }

        """#
}
