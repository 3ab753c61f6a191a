#!/usr/bin/env python3
"""Generate the code-derived parts of a Terraform module's README.

    python tools/tfdoc.py modules/alb-https [...]          # rewrite the READMEs
    python tools/tfdoc.py --check modules/alb-https [...]  # exit 1 if one differs

Two kinds of generated region, everything else in the README is prose and stays:

- between `<!-- BEGIN_TFDOC -->` and `<!-- END_TFDOC -->`: the Inputs table (name,
  description, type, default, required) from every `variable` block and the Outputs
  table (name, description, sensitive) from every `output` block of the module's
  `*.tf` files, in file-name order, then source order;
- between `<!-- BEGIN_EXAMPLE examples/<name> -->` and `<!-- END_EXAMPLE -->`: the
  `main.tf` of each example root under `examples/`, so the README's example is a root
  the unit tier plans (tests/lint/test_module_docs.py checks each one is planned).

Without markers yet, a README's hand-written `## Inputs`/`## Outputs` sections and
the first ```hcl block of its `## Example` section are replaced; otherwise the regions
are appended. Blocks are found with python-hcl2; types and defaults are rendered from
their source text (python-hcl2 rewrites expressions), collapsed to one line.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

try:
    import hcl2
except ImportError:  # not a runtime dependency: the test extra brings it (via checkov)
    sys.exit("tfdoc: error: python-hcl2 is missing; run `make docs`, which uses the lint env")

REPO = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- BEGIN_TFDOC -->", "<!-- END_TFDOC -->"
EXAMPLE_END = "<!-- END_EXAMPLE -->"
EXAMPLE_BLOCK = re.compile(
    r"<!-- BEGIN_EXAMPLE (?P<path>\S+) -->\n.*?" + re.escape(EXAMPLE_END) + r"(?P<gap>\n*)", re.S
)
TFDOC_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
LEGACY_TABLES = re.compile(r"^## Inputs[ \t]*\n.*?(?=^## (?!Outputs\b)|\Z)", re.M | re.S)
LEGACY_EXAMPLE = re.compile(
    r"(^## Examples?\b[^\n]*\n(?:(?!^## ).)*?)(^```hcl\n.*?^```[ \t]*$)", re.M | re.S
)
ATTRIBUTE = re.compile(r"[ \t]*(?P<name>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?!=)")
OPENERS, CLOSERS = "([{", ")]}"


class TfdocError(Exception):
    """A module this tool cannot document; the message says where and why."""


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    type: str
    default: str | None
    required: bool


@dataclass(frozen=True)
class Output:
    name: str
    description: str
    sensitive: bool


# --- Source text of expressions --------------------------------------------------------
#
# A lexed character is (char, literal): literal marks string contents (kept verbatim);
# comments become spaces so they neither count brackets nor reach the README.

Lexed = list[tuple[str, bool]]


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal opening at START, templates included."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i + 1
        elif text.startswith(("$${", "%%{"), i):
            i += 3
        elif text.startswith(("${", "%{"), i):
            depth, i = 1, i + 2
            while i < len(text) and depth:
                if text[i] == '"':
                    i = _string_end(text, i)
                    continue
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
        elif text[i] == "\n":
            break
        else:
            i += 1
    raise TfdocError("unterminated string")


def _lex(text: str) -> Lexed:
    out: Lexed = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            end = _string_end(text, i)
            out.extend((c, True) for c in text[i:end])
        elif char == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            out.extend((" ", False) for _ in text[i:end])
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = len(text) if end < 0 else end + 2
            out.extend(("\n" if c == "\n" else " ", False) for c in text[i:end])
        elif re.match(r"<<-?[A-Za-z_]", text[i : i + 4]):
            raise TfdocError("heredoc expressions are not rendered; use a quoted string")
        else:
            end = i + 1
            out.append((char, False))
        i = end
    return out


def _lines(chars: Lexed) -> list[Lexed]:
    lines: list[Lexed] = [[]]
    for char, literal in chars:
        if char == "\n" and not literal:
            lines.append([])
        else:
            lines[-1].append((char, literal))
    return lines


def _attributes(block: str) -> dict[str, Lexed]:
    """Top-level `name = expression` attributes of one block, as lexed source."""
    found: dict[str, Lexed] = {}
    depth = 0
    lines = _lines(_lex(block))
    index = 0
    while index < len(lines):
        line = lines[index]
        text = "".join(c for c, _ in line)
        match = ATTRIBUTE.match(text) if depth == 1 else None
        if match:
            expression: Lexed = []
            rest, level = line[match.end() :], 1
            while True:
                for char, literal in rest:
                    if not literal and char in OPENERS:
                        level += 1
                    elif not literal and char in CLOSERS:
                        level -= 1
                        if level == 0:  # the block's own closing brace
                            break
                    expression.append((char, literal))
                if level <= 1 or index + 1 >= len(lines):
                    break
                expression.append(("\n", False))
                index += 1
                rest = lines[index]
            found[match["name"]] = expression
            depth = level
        else:
            for char, literal in line:
                if not literal and char in OPENERS:
                    depth += 1
                elif not literal and char in CLOSERS:
                    depth -= 1
        index += 1
    return found


def _strip(line: Lexed) -> Lexed:
    start, end = 0, len(line)
    while start < end and line[start][0].isspace() and not line[start][1]:
        start += 1
    while end > start and line[end - 1][0].isspace() and not line[end - 1][1]:
        end -= 1
    return line[start:end]


def one_line(chars: Lexed) -> str:
    """An expression on one line: lines joined by commas where HCL separates by newline,
    runs of blanks collapsed, no trailing commas, no blanks inside () and []."""
    joined: Lexed = []
    for line in filter(None, map(_strip, _lines(chars))):
        if joined:
            glue = " " if joined[-1][0] in OPENERS + "," or line[0][0] in CLOSERS else ", "
            joined.extend((c, False) for c in glue)
        joined.extend(line)
    out: Lexed = []
    for char, literal in joined:
        if literal:
            out.append((char, True))
            continue
        if char.isspace():
            if out and (out[-1][1] or out[-1][0] not in " (["):
                out.append((" ", False))
            continue
        if char in CLOSERS:
            while out and out[-1] in ((" ", False), (",", False)):
                out.pop()
            if char == "}" and out and out[-1] != ("{", False):
                out.append((" ", False))
        out.append((char, False))
    return "".join(c for c, _ in out)


# --- The module ------------------------------------------------------------------------


def _text(value: object) -> str:
    """A python-hcl2 string as the reader sees it: escapes undone, blanks collapsed."""
    text = value[0] if isinstance(value, list) else value
    text = re.sub(r"\\(.)", lambda m: " " if m[1] in "nrt" else m[1], str(text or ""))
    return " ".join(text.split())


def _blocks(module: Path, kind: str) -> list[tuple[Path, str, dict, list[str]]]:
    blocks = []
    files = sorted(module.glob("*.tf"))
    if not files:
        raise TfdocError(f"{module}: no *.tf files; expected a Terraform module folder")
    for tf in files:
        source = tf.read_text()
        try:
            parsed = hcl2.loads(source)
        except Exception as exc:  # python-hcl2 raises lark's many error types
            raise TfdocError(f"{tf}: not parseable HCL: {str(exc).splitlines()[0]}") from exc
        lines = source.splitlines(keepends=True)
        for block in parsed.get(kind, []):
            for name, body in block.items():
                blocks.append((tf, name, body, lines))
    return blocks


def variables(module: Path) -> list[Variable]:
    found = []
    for tf, name, body, lines in _blocks(module, "variable"):
        start, end = body.get("__start_line__"), body.get("__end_line__")
        if start is None or end is None:
            raise TfdocError(f"{tf}: python-hcl2 gave no line numbers for variable {name}")
        try:
            attributes = _attributes("".join(lines[start - 1 : end]))
        except TfdocError as exc:
            raise TfdocError(f"{tf}:{start}: variable {name}: {exc}") from exc
        if ("default" in body) != ("default" in attributes):
            raise TfdocError(f"{tf}:{start}: variable {name}: cannot find its default")
        default = attributes.get("default")
        found.append(
            Variable(
                name=name,
                description=_text(body.get("description")),
                type=one_line(attributes["type"]) if "type" in attributes else "any",
                default=None if default is None else one_line(default),
                required="default" not in body,
            )
        )
    return found


def outputs(module: Path) -> list[Output]:
    return [
        Output(name, _text(body.get("description")), body.get("sensitive", [False])[0] is True)
        for _, name, body, _ in _blocks(module, "output")
    ]


# --- Markdown --------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{_cell(text)}{pad}{fence}"


def tables(module: Path) -> str:
    lines = [BEGIN, "## Inputs", ""]
    inputs = variables(module)
    if inputs:
        lines += [
            "| Name | Description | Type | Default | Required |",
            "|------|-------------|------|---------|:--------:|",
        ]
        for v in inputs:
            default = "n/a" if v.default is None else _code(v.default)
            required = "yes" if v.required else "no"
            cells = [f"`{v.name}`", _cell(v.description), _code(v.type), default, required]
            lines.append(f"| {' | '.join(cells)} |")
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    declared = outputs(module)
    if declared:
        lines += ["| Name | Description | Sensitive |", "|------|-------------|:---------:|"]
        for o in declared:
            sensitive = "yes" if o.sensitive else "no"
            lines.append(f"| `{o.name}` | {_cell(o.description)} | {sensitive} |")
    else:
        lines.append("No outputs.")
    return "\n".join([*lines, END])


def example_roots(module: Path) -> list[str]:
    return sorted(
        p.parent.relative_to(module).as_posix() for p in module.glob("examples/*/main.tf")
    )


def example(module: Path, root: str) -> str:
    code = (module / root / "main.tf").read_text().rstrip("\n")
    return "\n".join(
        [
            f"<!-- BEGIN_EXAMPLE {root} -->",
            f"`main.tf` of [`{root}`]({root}), a root the unit tier plans "
            "(inputs in its `variables.tf`):",
            "",
            "```hcl",
            code,
            "```",
            EXAMPLE_END,
        ]
    )


def generate(module: Path, readme: str) -> str:
    """README text with every generated region of MODULE brought up to date."""
    if not readme.count(BEGIN) == readme.count(END) <= 1:
        raise TfdocError(f"{module}/README.md: expected one {BEGIN} ... {END} pair")
    block = tables(module)
    if TFDOC_BLOCK.search(readme):
        readme = TFDOC_BLOCK.sub(lambda _: block, readme, count=1)
    elif LEGACY_TABLES.search(readme):
        readme = LEGACY_TABLES.sub(lambda _: block + "\n\n", readme, count=1)
    else:
        readme = readme.rstrip("\n") + "\n\n" + block + "\n"

    roots = example_roots(module)
    readme = EXAMPLE_BLOCK.sub(
        lambda m: example(module, m["path"]) + m["gap"] if m["path"] in roots else "", readme
    )
    for root in roots:
        if f"<!-- BEGIN_EXAMPLE {root} -->" in readme:
            continue
        rendered = example(module, root)
        existing = list(EXAMPLE_BLOCK.finditer(readme))
        if existing:
            at = existing[-1].end() - len(existing[-1]["gap"])
            readme = readme[:at] + "\n\n" + rendered + readme[at:]
        elif legacy := LEGACY_EXAMPLE.search(readme):
            readme = readme[: legacy.start(2)] + rendered + readme[legacy.end(2) :]
        else:
            at = readme.index(BEGIN)
            readme = readme[:at] + "## Example\n\n" + rendered + "\n\n" + readme[at:]
    return readme.rstrip("\n") + "\n"


def _shown(module: Path) -> str:
    resolved = module.resolve()
    if resolved.is_relative_to(REPO):
        return resolved.relative_to(REPO).as_posix()
    return str(module)


def stale(modules: list[Path]) -> list[Path]:
    """The modules whose README is not what `generate` makes of it."""
    found = []
    for module in modules:
        readme = module / "README.md"
        updated = generate(module, _current(module))
        if not readme.is_file() or updated != readme.read_text():
            found.append(module)
    return found


def _current(module: Path) -> str:
    readme = module / "README.md"
    return readme.read_text() if readme.is_file() else f"# {module.resolve().name}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tfdoc.py", description="Write a module README's inputs/outputs tables and examples."
    )
    parser.add_argument("modules", nargs="+", type=Path, metavar="MODULE")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a README is out of date"
    )
    args = parser.parse_args(argv)
    try:
        for module in args.modules:
            if not module.is_dir():
                raise TfdocError(f"{module}: no such module folder")
        if args.check:
            out_of_date = stale(args.modules)
            for module in out_of_date:
                print(
                    f"{_shown(module)}/README.md differs from the code; "
                    f"fix: python tools/tfdoc.py {_shown(module)}",
                    file=sys.stderr,
                )
            return 1 if out_of_date else 0
        for module in args.modules:
            readme = module / "README.md"
            updated = generate(module, _current(module))
            if not readme.is_file() or updated != readme.read_text():
                readme.write_text(updated)
                print(f"wrote {_shown(module)}/README.md")
    except (TfdocError, OSError) as exc:
        print(f"tfdoc: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
