"""Agent-checksum vectors from auth51-checksum 0.4.0, for Baton's AgentChecksum module.

Prints one JSON document on stdout: for each agent definition below, the definition itself (in the
library's dict form: agent_id, prompt_template, tools, configuration), the checksum of every version
(v1 to v5) and, for v1 to v4, the exact text the library hashes (its "preimage"), so that a
mismatch on the Swift side shows where the bytes part.

    .venv/bin/python Interop/checksum_vectors.py > Fixtures/checksum-vectors.json

Tests/AgentChecksumTests runs this script and compares byte for byte; the committed fixture lets the
Swift side be checked without Python, and a test reports when it is stale.

The preimages are rebuilt from the library's own functions (its public `canonicalize` and the
private helpers that shape the components); the script asserts that hashing each preimage gives the
library's checksum, so a preimage is always what the library really hashes.
"""
from __future__ import annotations

import hashlib
import json
import sys
from importlib.metadata import version

import auth51_checksum as lib
from auth51_checksum import agent as lib_agent


def tool(name, signature="(query: str) -> str", description="Looks things up.", **extra):
    """A tool in the library's dict form; extra keys (source_code, is_agent, source, parameters) as given."""
    return {"name": name, "signature": signature, "description": description, **extra}


SEARCH = tool("search", "(query: str, limit: int = 10) -> list[str]", "Searches the web.\n  Returns URLs.")
SUMMARISE = tool("summarise", "(text: str) -> str", "Summarises a text.")
FETCH = tool("fetch", "(url: str) -> bytes", "Fetches a URL.", parameters={
    "type": "object",
    "properties": {"url": {"type": "string", "format": "uri", "description": "  the URL\n\n  to fetch  "}},
    "required": ["url"],
})

DEFINITIONS = [
    ("minimal", {"agent_id": "ReviewBot", "prompt_template": "You are a reviewer.", "tools": [], "configuration": {}}),
    ("empty-prompt", {"agent_id": "Empty", "prompt_template": "", "tools": [], "configuration": {}}),
    ("whitespace-only-prompt", {"agent_id": "Blank", "prompt_template": " \n\t\r\n \u3000 ", "tools": [], "configuration": {}}),
    ("whitespace-heavy-prompt", {
        "agent_id": "  Planner  ",
        "prompt_template": "  \r\n\tYou are   a planner.  \n\n\n  Step one:\tthink.\r\n \u00a0\n\u2003Step two.\u3000 \n"
                           "\x0b\x0c\x1c last\x1d line \x85\r\n\r\n \u2028 middle\u2029 \n  a\rb  \n\u200b\n\u180e\n\ufeff",
        "tools": [SEARCH],
        "configuration": {"style": "  terse \n\n and   short  ", "lines": [" a ", "\n b \n", ""]},
    }),
    ("nfd-prompt", {"agent_id": "Caf\u0065\u0301", "prompt_template": "Re\u0301sume\u0301 writer, cafe\u0301.", "tools": [],
                    "configuration": {"greeting": "Olá mundo, cafe\u0301"}}),
    ("nfc-prompt", {"agent_id": "Caf\u00e9", "prompt_template": "R\u00e9sum\u00e9 writer, caf\u00e9.", "tools": [],
                    "configuration": {"greeting": "Ol\u00e1 mundo, caf\u00e9"}}),
    ("unicode-prompt", {
        "agent_id": "Polyglot-\U0001F916",
        "prompt_template": (
            "Emoji \U0001F600 \U0001F469\u200d\U0001F4BB \U0001F1E9\U0001F1EA \U0001F44D\U0001F3FD;\n"
            "Hangul jamo \u1100\u1161\u11a8 and \uac00; reordered marks q\u0307\u0323 and a\u0323\u0307;\n"
            "singletons \u212b \u2126 \uf900 \U0002f800; excluded \U0001d15e; fraktur \U0001d518;\n"
            "compatibility \ufb01 \u2460 (unchanged by NFC); quotes \"x\" back\\slash /slash; controls \x01\x7f\u0080;\n"
            "CJK \u4e2d\u6587, Arabic \u0627\u0644\u0639\u0631\u0628\u064a\u0629, Devanagari \u0915\u094d\u0937\u093f"
        ),
        "tools": [tool("r\u00e9sum\u00e9", "(text: str) -> str", "Writes a re\u0301sume\u0301 \U0001F4C4.")],
        "configuration": {"motto": "\U0001F680 to the moon, na\u0308ive", "tags": ["\u00c5", "A\u030a", "\u212b"]},
    }),
    ("key-order", {
        "agent_id": "Sorter",
        "prompt_template": "Sort keys by code point.",
        "tools": [],
        "configuration": {
            "\U0001F600": "non-BMP key (after U+FF21 by code point, before it in UTF-16)",
            "\uff21": "fullwidth A",
            "\ue000": "private use",
            "b": 1, "B": 2, "_": 3, "a b": 4, "a": 5, "": 6, "\u00e9": 7, "z\u0301": 8, "10": 9, "9": 10,
            "nested": {"\U0001F600": 1, "\uffff": 2, "\U00010000": 3, "\ud7ff": 4},
        },
    }),
    ("nfd-key", {"agent_id": "Keys", "prompt_template": "Keys are not normalised.", "tools": [],
                 "configuration": {"cafe\u0301": "decomposed key", "caf": "prefix"}}),
    ("nested-config", {
        "agent_id": "Configured",
        "prompt_template": "You use a nested configuration.",
        "tools": [],
        "configuration": {
            "model": "gpt-4o",
            "temperature": 0.2,
            "max_tokens": 4096,
            "top_p": 1.0,
            "stream": False,
            "verbose": True,
            "stop": None,
            "penalties": [0.0, -0.0, 1.5, -2, 100.0, 0.1, 1e-7, 1e16, 1e15, 1.5e300, 5e-324, 1.7976931348623157e308,
                          0.30000000000000004, 0.3333333333333333, 123456789012345680.0, 2.5e-5, 1e-4, 12345.678],
            "big": [9007199254740993, -9223372036854775808, 9223372036854775807, 0, -1],
            "layers": [{"name": " input ", "size": 3}, [1, [2, [3, []]]], {}, [], "x\r\ny"],
            "empty": {},
            "tools_policy": {"allow": ["search", "fetch"], "deny": [], "limits": {"search": {"per_minute": 10, "burst": None}}},
        },
    }),
    ("tools-order-a", {"agent_id": "Researcher", "prompt_template": "You research.", "tools": [SEARCH, SUMMARISE, FETCH],
                       "configuration": {"depth": 2}}),
    ("tools-order-b", {"agent_id": "Researcher", "prompt_template": "You research.", "tools": [FETCH, SEARCH, SUMMARISE],
                       "configuration": {"depth": 2}}),
    ("excluded-tools", {
        "agent_id": "Orchestrator",
        "prompt_template": "You delegate.",
        "tools": [
            SEARCH,
            tool("writer", "(task: str) -> str", "The writer sub-agent.", is_agent=True),
            tool("github", "(repo: str) -> dict", "An MCP tool (kept by v1 and v2, left out of v4 and v5).", source="mcp"),
            tool("calendar", "(day: str) -> list", "An MCP sub-agent.", source="mcp", is_agent=True),
            tool("local", "(x: int) -> int", "Another in-process tool.", source="process", is_agent=False),
        ],
        "configuration": {},
    }),
    ("tool-shapes", {
        "agent_id": "Shapes",
        "prompt_template": "Tools of every shape.",
        "tools": [
            tool("  padded name  ", "(a: int) -> int", "  Padded.\n\n  Description.  "),
            tool("Zeta", "(z: str) -> str", "Upper-case names sort first."),
            tool("\U0001F527 wrench", "() -> None", "A non-BMP name."),
            tool("\uff37ide", "() -> None", "A fullwidth name: before the non-BMP one by code point, after it in UTF-16."),
            tool("dup", "(first: int) -> int", "First of two tools named dup."),
            tool("dup", "(second: int) -> int", "Second of two tools named dup."),
            tool("empty-source", "() -> None", "An empty source_code is absent for v1 and v5.", source_code=""),
            tool("params-empty", "(x) -> None", "Empty parameters are kept.", parameters={}),
            tool("params-null", "(x: str) -> None", "Null parameters fall back to the signature.", parameters=None),
            tool("params-list", "(x) -> None", "Parameters need not be an object.", parameters=["x", {"type": "string"}]),
        ],
        "configuration": {"k": "v"},
    }),
    ("tool-with-source", {
        "agent_id": "Coder",
        "prompt_template": "You run code.",
        "tools": [tool("add", "(a: int, b: int) -> int", "Adds two numbers.",
                       source_code="def add(a, b):\n    \"\"\"Adds.\"\"\"\n    # a comment\n    return a + b\n")],
        "configuration": {"sandbox": True},
    }),
    ("mcp-tool-with-source", {
        "agent_id": "Bridge",
        "prompt_template": "Your only tool is rented.",
        "tools": [tool("remote", "(q: str) -> str", "An MCP tool; its source is left out of v5.", source="mcp",
                       source_code="def remote(q):\n    return q\n")],
        "configuration": {},
    }),
    ("sub-agent-with-source", {
        "agent_id": "Delegator",
        "prompt_template": "Your only tool is a sub-agent.",
        "tools": [tool("helper", "(q: str) -> str", "A sub-agent; left out of every version.", is_agent=True,
                       source_code="def helper(q):\n    return q\n")],
        "configuration": {"x": [None, True, False]},
    }),
    ("strings-with-escapes", {
        "agent_id": "Escaper\ttab",
        "prompt_template": "Line with \"quotes\", \\backslashes\\ and </script>\nsecond line\x00 with NUL",
        "tools": [tool("esc\"ape", "(s: str) -> \"str\"", "Back\\slash \b bell\x07 form\x0c feed.")],
        "configuration": {"\"quoted key\"": "\\", "tab\tkey": "\u2028\u2029", "ctrl": "\x1f\x7f"},
    }),
]

VERSIONS = ("v1", "v2", "v3", "v4", "v5")


def checksums(components):
    """Every version as the library computes it, from the dict form and from its dataclasses (which must agree)."""
    from_dict = dict(zip(VERSIONS, (lib.compute_v1(components), lib.compute_v2(components), lib.compute_v3_identity(components),
                                    lib.compute_v4_identity(components), lib.compute_v5_identity(components))))
    dataclass = lib.AgentComponents(
        agent_id=components["agent_id"], prompt_template=components["prompt_template"],
        tools=[lib.Tool(**t) for t in components["tools"]], configuration=components["configuration"])
    from_dataclass = dict(zip(VERSIONS, (lib.compute_v1(dataclass), lib.compute_v2(dataclass), lib.compute_v3_identity(dataclass),
                                         lib.compute_v4_identity(dataclass), lib.compute_v5_identity(dataclass))))
    assert from_dict == from_dataclass, components["agent_id"]
    for value in from_dict.values():
        assert lib.matches(value, components)
    return from_dict


def preimages(components):
    """The JSON text each of v1 to v4 hashes, rebuilt from the library's own helpers."""
    shaped = lib_agent._as_dict(components)
    v1 = {
        "id": shaped["agent_id"],
        "prompt": lib_agent._normalize_prompt_v1(shaped["prompt_template"]),
        "tools": sorted([lib_agent._prepare_tool_v1(t) for t in shaped["tools"]], key=lambda t: t["name"]),
        "config": shaped["configuration"],
    }
    identity = {k: shaped[k] for k in ("agent_id", "prompt_template", "configuration")}
    with_tools = dict(lib_agent._identity_core(components), tools=lib_agent._v4_tools(components))
    return {
        "v1": json.dumps(v1, sort_keys=True),
        "v2": json.dumps(lib.canonicalize(shaped), sort_keys=True),
        "v3": json.dumps(lib.canonicalize(identity), sort_keys=True),
        "v4": json.dumps(lib.canonicalize(with_tools), sort_keys=True),
    }


def vector(name, components):
    sums = checksums(components)
    texts = preimages(components)
    assert hashlib.sha256(texts["v1"].encode()).hexdigest() == sums["v1"], name
    for v, tag in (("v2", "v1"), ("v3", "id1"), ("v4", "id2")):
        assert "sha3-512:%s:%s" % (tag, hashlib.sha3_512(texts[v].encode()).hexdigest()) == sums[v], (name, v)
    return {"name": name, "definition": components, "checksums": sums, "preimages": texts}


def main():
    document = {
        "generator": "Interop/checksum_vectors.py",
        "library": "auth51-checksum %s" % version("auth51-checksum"),
        "vectors": [vector(name, components) for name, components in DEFINITIONS],
    }
    json.dump(document, sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
