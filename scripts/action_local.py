#!/usr/bin/env python3
"""Runs the steps of the composite action in action.yml on this machine, as GitHub Actions would.

Read from action.yml itself, never copied: the `run:` steps are executed in order by
`bash --noprofile --norc -eo pipefail` (GitHub's `shell: bash`), with their `env:`, `working-directory:`
and `if:` conditions, `${{ ... }}` expressions substituted (inputs, github.action_path,
github.workspace, runner.temp, steps.<id>.outputs.<name>), $GITHUB_OUTPUT read back after each step
and $GITHUB_STEP_SUMMARY kept in a file. Steps that `uses:` another action (the SARIF and artifact
uploads) cannot run here: they are printed with their resolved `with:` and checked to name files that
exist. Exit status: the job's (0 when every step that ran succeeded).

Usage: scripts/action-local.sh [--input NAME=VALUE]... [--workspace DIR] [--summary FILE]
Standard library only (YAML: the subset action.yml uses, parsed strictly).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ActionError(Exception):
    pass


# --- a strict parser for the YAML subset of action.yml -------------------------------------------------
# Block mappings and sequences by indentation, plain / single- / double-quoted scalars, `|` literal
# blocks and comments. Anything else (flow collections, anchors, multi-document) is refused by line.

def parse_yaml(text, path):
    lines = []
    for number, raw in enumerate(text.split("\n"), 1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ActionError(f"{path}:{number}: tabs in indentation")
        lines.append((number, raw))
    value, index = parse_block(lines, 0, 0, path)
    index = skip_blank(lines, index)
    if index < len(lines):
        raise ActionError(f"{path}:{lines[index][0]}: unexpected indentation")
    return value


def is_blank(raw):
    stripped = raw.strip()
    return not stripped or stripped.startswith("#")


def skip_blank(lines, index):
    while index < len(lines) and is_blank(lines[index][1]):
        index += 1
    return index


def indent_of(raw):
    return len(raw) - len(raw.lstrip(" "))


def parse_block(lines, index, indent, path):
    index = skip_blank(lines, index)
    if index >= len(lines):
        return None, index
    number, raw = lines[index]
    if indent_of(raw) < indent:
        return None, index
    indent = indent_of(raw)
    if raw.strip().startswith("- ") or raw.strip() == "-":
        return parse_sequence(lines, index, indent, path)
    return parse_mapping(lines, index, indent, path)


def parse_sequence(lines, index, indent, path):
    items = []
    while True:
        index = skip_blank(lines, index)
        if index >= len(lines) or indent_of(lines[index][1]) != indent or not lines[index][1].strip().startswith("-"):
            return items, index
        number, raw = lines[index]
        rest = raw.strip()[1:].lstrip()
        if not rest:
            value, index = parse_block(lines, index + 1, indent + 1, path)
            items.append(value)
            continue
        # "- key: value" starts a mapping indented at the key's column.
        column = indent + (len(raw.strip()) - len(rest))
        lines[index] = (number, " " * column + rest)
        value, index = parse_mapping(lines, index, column, path)
        items.append(value)


KEY = re.compile(r"^([A-Za-z0-9_.-]+):(?:\s+(.*))?$")


def parse_mapping(lines, index, indent, path):
    mapping = {}
    while True:
        index = skip_blank(lines, index)
        if index >= len(lines) or indent_of(lines[index][1]) != indent:
            if index < len(lines) and indent_of(lines[index][1]) > indent:
                raise ActionError(f"{path}:{lines[index][0]}: unexpected indentation")
            return mapping, index
        number, raw = lines[index]
        match = KEY.match(raw.strip())
        if not match:
            raise ActionError(f"{path}:{number}: expected 'key: value', got {raw.strip()!r}")
        key, rest = match.group(1), (match.group(2) or "").strip()
        if key in mapping:
            raise ActionError(f"{path}:{number}: duplicate key {key!r}")
        if rest == "|":
            block, index = literal_block(lines, index + 1, indent, path)
            mapping[key] = block
        elif rest == "" or rest.startswith("#"):
            value, index = parse_block(lines, index + 1, indent + 1, path)
            mapping[key] = value
        else:
            mapping[key] = scalar(rest, f"{path}:{number}")
            index += 1


def literal_block(lines, index, parent, path):
    body = []
    block_indent = None
    while index < len(lines):
        number, raw = lines[index]
        if raw.strip() == "":
            body.append("")
            index += 1
            continue
        current = indent_of(raw)
        if current <= parent:
            break
        if block_indent is None:
            block_indent = current
        if current < block_indent:
            raise ActionError(f"{path}:{number}: a literal block's line is less indented than its first")
        body.append(raw[block_indent:])
        index += 1
    while body and body[-1] == "":
        body.pop()
    return "\n".join(body) + "\n", index


def scalar(text, where):
    if text[0] in "[{&*!|>%@`":
        raise ActionError(f"{where}: unsupported YAML ({text[:20]!r}); action.yml keeps to plain block style")
    if text[0] == '"':
        end = text.rfind('"')
        if end == 0 or text[end + 1:].strip() not in ("",) and not text[end + 1:].strip().startswith("#"):
            raise ActionError(f"{where}: unterminated or trailing text after a double-quoted string")
        body = text[1:end]
        return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(m.group(1), m.group(0)), body)
    if text[0] == "'":
        end = text.rfind("'")
        if end == 0:
            raise ActionError(f"{where}: unterminated single-quoted string")
        return text[1:end].replace("''", "'")
    return re.sub(r"\s+#.*$", "", text).strip()


# --- expressions: the part of GitHub's expression language action.yml uses -------------------------------

TOKEN = re.compile(r"\s*(?:(\|\||&&|==|!=|!|\(|\))|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_.-]*(?:\(\))?))")


class Context:
    def __init__(self, inputs, github, runner):
        self.inputs, self.github, self.runner = inputs, github, runner
        self.steps = {}
        self.failed = False

    def lookup(self, name):
        parts = name.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            if parts[1] not in self.inputs:
                raise ActionError(f"unknown input {parts[1]!r}")
            return self.inputs[parts[1]]
        if parts[0] == "github" and len(parts) == 2 and parts[1] in self.github:
            return self.github[parts[1]]
        if parts[0] == "runner" and len(parts) == 2 and parts[1] in self.runner:
            return self.runner[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        raise ActionError(f"cannot evaluate {name!r} locally")

    def evaluate(self, text):
        tokens = []
        position = 0
        text = text.strip()
        while position < len(text):
            match = TOKEN.match(text, position)
            if not match or match.end() == position:
                raise ActionError(f"cannot read the expression {text!r} at {text[position:]!r}")
            operator, string, name = match.groups()
            tokens.append(("op", operator) if operator else ("str", string.replace("''", "'")) if string is not None else ("name", name))
            position = match.end()
        value, rest = self.disjunction(tokens)
        if rest:
            raise ActionError(f"trailing tokens in {text!r}")
        return value

    def disjunction(self, tokens):
        left, tokens = self.conjunction(tokens)
        while tokens and tokens[0] == ("op", "||"):
            right, tokens = self.conjunction(tokens[1:])
            left = left or right
        return left, tokens

    def conjunction(self, tokens):
        left, tokens = self.comparison(tokens)
        while tokens and tokens[0] == ("op", "&&"):
            right, tokens = self.comparison(tokens[1:])
            left = left and right
        return left, tokens

    def comparison(self, tokens):
        left, tokens = self.unary(tokens)
        if tokens and tokens[0] in (("op", "=="), ("op", "!=")):
            equal = tokens[0][1] == "=="
            right, tokens = self.unary(tokens[1:])
            return (str(left) == str(right)) == equal, tokens
        return left, tokens

    def unary(self, tokens):
        if not tokens:
            raise ActionError("an expression ends too early")
        kind, value = tokens[0]
        if (kind, value) == ("op", "!"):
            inner, rest = self.unary(tokens[1:])
            return not truthy(inner), rest
        if (kind, value) == ("op", "("):
            inner, rest = self.disjunction(tokens[1:])
            if not rest or rest[0] != ("op", ")"):
                raise ActionError("a parenthesis is not closed")
            return inner, rest[1:]
        if kind == "str":
            return value, tokens[1:]
        if kind == "name":
            if value == "always()":
                return True, tokens[1:]
            if value == "success()":
                return not self.failed, tokens[1:]
            if value == "failure()":
                return self.failed, tokens[1:]
            if value in ("true", "false"):
                return value == "true", tokens[1:]
            return self.lookup(value), tokens[1:]
        raise ActionError(f"unexpected {value!r} in an expression")

    def substitute(self, text):
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(self.evaluate(m.group(1))), str(text))


def truthy(value):
    return value not in (False, "", None, 0)


def has_status_function(condition):
    return any(f in condition for f in ("always()", "success()", "failure()", "cancelled()"))


def read_outputs(path):
    outputs = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delimiter = line.split("<<", 1)
            body = []
            while index < len(lines) and lines[index] != delimiter:
                body.append(lines[index])
                index += 1
            index += 1
            outputs[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        else:
            raise ActionError(f"$GITHUB_OUTPUT line {line!r} is neither name=value nor name<<DELIMITER")
    return outputs


def main():
    parser = argparse.ArgumentParser(description="Run action.yml's steps locally.")
    parser.add_argument("--input", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--workspace", default=os.getcwd())
    parser.add_argument("--summary", help="the job summary file (default: one in a temporary directory)")
    parser.add_argument("--action", default=os.path.join(ROOT, "action.yml"))
    options = parser.parse_args()

    path = options.action
    with open(path, encoding="utf-8") as f:
        action = parse_yaml(f.read(), path)
    runs = action.get("runs") or {}
    if runs.get("using") != "composite" or not isinstance(runs.get("steps"), list):
        raise ActionError(f"{path}: not a composite action with steps")

    declared = action.get("inputs") or {}
    inputs = {name: str((spec or {}).get("default", "")) for name, spec in declared.items()}
    for item in options.input:
        name, _, value = item.partition("=")
        if name not in declared:
            raise ActionError(f"--input {name}: the action has no such input (inputs: {', '.join(declared)})")
        inputs[name] = value
    for name, spec in declared.items():
        if str((spec or {}).get("required", "false")) == "true" and not inputs[name]:
            raise ActionError(f"the input {name!r} is required (--input {name}=...)")

    temp = tempfile.mkdtemp(prefix="action-local-")
    workspace = os.path.abspath(options.workspace)
    summary = os.path.abspath(options.summary or os.path.join(temp, "step-summary.md"))
    open(summary, "w").close()
    context = Context(inputs, {"action_path": os.path.dirname(os.path.abspath(path)), "workspace": workspace}, {"temp": temp})

    for number, step in enumerate(runs["steps"], 1):
        name = step.get("name") or step.get("id") or f"step {number}"
        condition = str(step.get("if", "success()"))
        if not has_status_function(condition):
            condition = f"success() && ({condition})"
        if not truthy(context.evaluate(condition)):
            print(f"action-local: [{number}] {name}: skipped (if: {step.get('if', 'success()')})", flush=True)
            continue
        if "uses" in step:
            resolved = {key: context.substitute(value) for key, value in (step.get("with") or {}).items()}
            print(f"action-local: [{number}] {name}: not run here (uses: {step['uses']}) with {resolved}", flush=True)
            for key in ("sarif_file", "path"):
                if key in resolved and not os.path.exists(os.path.join(workspace, resolved[key])):
                    print(f"action-local: [{number}] {name}: {key} {resolved[key]} does not exist", file=sys.stderr, flush=True)
                    context.failed = True
            continue
        if "run" not in step or step.get("shell") != "bash":
            raise ActionError(f"{path}: step {name!r} has neither `uses:` nor `run:` with `shell: bash`")
        output = os.path.join(temp, f"output-{number}")
        open(output, "w").close()
        script = os.path.join(temp, f"step-{number}.sh")
        with open(script, "w", encoding="utf-8") as f:
            f.write(context.substitute(step["run"]))
        env = dict(os.environ)
        env.update({key: context.substitute(value) for key, value in (step.get("env") or {}).items()})
        env.update({"GITHUB_OUTPUT": output, "GITHUB_STEP_SUMMARY": summary, "GITHUB_WORKSPACE": workspace,
                    "GITHUB_ACTION_PATH": context.github["action_path"], "RUNNER_TEMP": temp, "GITHUB_ACTIONS": "true"})
        directory = context.substitute(step.get("working-directory", workspace))
        print(f"action-local: [{number}] {name}", flush=True)
        status = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=os.path.join(workspace, directory), env=env)
        if "id" in step:
            context.steps[step["id"]] = read_outputs(output)
        if status != 0:
            print(f"action-local: [{number}] {name}: failed (exit {status})", file=sys.stderr, flush=True)
            context.failed = True

    for name, spec in (action.get("outputs") or {}).items():
        print(f"action-local: output {name}={context.substitute((spec or {}).get('value', ''))}")
    print(f"action-local: job summary in {summary}")
    print(f"action-local: job {'failed' if context.failed else 'succeeded'}")
    return 1 if context.failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ActionError as e:
        print(f"action-local: {e}", file=sys.stderr)
        sys.exit(2)
