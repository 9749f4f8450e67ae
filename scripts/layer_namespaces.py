#!/usr/bin/env python3
"""Puts each pipeline layer's code in its own namespace (kql::syntax, kql::exec, ...) and checks that it stays so.

Usage: scripts/layer_namespaces.py --apply   rewrite `namespace kql {` in each layer's files to the layer's namespace
       scripts/layer_namespaces.py --check   exit 1 when a layer file opens a namespace other than its own

base/ and types/ are the shared vocabulary (diagnostics, KQL types, values) and stay in `kql`; the public API
(include/kqlite/) is `kql` too. Each other layer's namespace lists the layers below it in `<dir>/layer.h`, which
every file of the layer includes, so a layer sees the names of the layers it links and no others.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Directory under src/ -> (namespace, the layers it reads, in link order).
LAYERS = {
    "syntax": ("syntax", []),
    "catalog": ("catalog", []),
    "vector": ("vector", []),
    "plan": ("plan", ["catalog", "vector"]),
    "binder": ("binder", ["syntax", "catalog", "vector", "plan"]),
    "optimizer": ("optimizer", ["catalog", "vector", "plan"]),
    "execution": ("exec", ["catalog", "vector", "plan"]),
    "io": ("io", ["catalog", "vector"]),
    "clickhouse": ("clickhouse", ["catalog", "vector", "plan"]),
    "engine": ("engine", ["syntax", "catalog", "vector", "plan", "binder", "optimizer", "exec", "io"]),
    "rules": ("rules", ["syntax", "catalog", "vector", "plan", "binder", "optimizer", "exec", "io", "engine"]),
    "pack": ("pack", ["syntax", "catalog", "vector", "plan", "binder", "optimizer", "exec", "io", "engine", "rules"]),
}
# Files that implement the public API (include/kqlite) stay in `kql` and read the layers through their layer.h.
PUBLIC_API_FILES = {"src/engine/engine.cpp"}
PUBLIC_API_USING = "\n// The engine implements the public API (namespace kql) over every layer.\nusing namespace kql::engine;\n"

# Forward declarations of another layer's types, moved into that layer's namespace: (file, old text, new text).
FIXUPS = [
    ("src/binder/binder.h", "namespace kql::binder {\n\nstruct ParseResult;\nstruct Query;\n",
     "namespace kql::syntax {\nstruct ParseResult;\nstruct Query;\n}  // namespace kql::syntax\n\nnamespace kql::binder {\n"),
    ("src/execution/execution_context.h", "namespace kql::exec {\n\nstruct LogicalOperator;\n",
     "namespace kql::plan {\nstruct LogicalOperator;\n}  // namespace kql::plan\n\nnamespace kql::exec {\n"),
    ("src/rules/watchlist.h", "namespace kql::rules {\n\nclass Engine;\n",
     "namespace kql {  // the public API\nclass Engine;\n}  // namespace kql (the public API)\n\nnamespace kql::rules {\n"),
    ("src/syntax/ast_printer.cpp", "const kql::Query&", "const Query&"),
    ("src/syntax/ast_printer.cpp", "const kql::Operator&", "const syntax::Operator&"),
    ("src/engine/data_registry.cpp", "kql::OpenTextSource", "io::OpenTextSource"),
    ("cmake/embed_rules.cmake", "namespace kql {\\n", "namespace kql::rules {\\n"),
    ("cmake/embed_rules.cmake", "}  // namespace kql\\n", "}  // namespace kql::rules\\n"),
    ("include/kqlite/engine.h", "namespace kql {\n\nclass Catalog;\n",
     "namespace kql::catalog {\nclass Catalog;\nstruct StoredFunction;\n}  // namespace kql::catalog\n\nnamespace kql {\n\n"
     "// The public API's names from the layers (the embedder sees one namespace).\n"
     "using catalog::Catalog;\nusing catalog::StoredFunction;\nusing plan::RenderRequest;\nusing vector::BadValueCount;\n"
     "using vector::SkippedRecord;\nusing vector::Table;\nusing vector::TableSource;\n"),
    ("include/kqlite/engine.h", "using vector::TableSource;\nstruct StoredFunction;\n", "using vector::TableSource;\n"),
    ("src/rules/workspace_definitions.h", "namespace kql::rules {\n\nclass Engine;\n",
     "namespace kql {  // the public API\nclass Engine;\n}  // namespace kql (the public API)\n\nnamespace kql::rules {\n"),
]

BARE_OPEN = re.compile(r"^namespace kql \{$", re.M)
BARE_CLOSE = re.compile(r"^\}  // namespace kql$", re.M)
OPEN = re.compile(r"^namespace kql(::[a-z_]+)? \{(?:  // the public API)?$", re.M)
CLOSE = re.compile(r"^\}  // namespace kql(::[a-z_]+)?$", re.M)


def LayerHeader(directory, namespace, reads):
  lines = [
      f"// The {directory} layer's namespace, kql::{namespace}, and the layers below it that it reads. Every file",
      "// of the layer includes this header; see scripts/layer_namespaces.py.",
      "#pragma once",
      "",
  ]
  for read in reads:
    lines.append(f"namespace kql::{read} {{}}")
  lines.append(f"namespace kql::{namespace} {{")
  for read in reads:
    lines.append(f"using namespace kql::{read};")
  lines.append(f"}}  // namespace kql::{namespace}")
  return "\n".join(lines) + "\n"


def Files(directory):
  for path in sorted((ROOT / "src" / directory).rglob("*")):
    if path.suffix in (".h", ".cpp") and path.name != "layer.h":
      yield path


def IncludeLayerHeader(text, directory):
  include = f'#include "{directory}/layer.h"'
  if include in text:
    return text
  # After the last #include of the file's first include block, or before the first namespace.
  lines = text.split("\n")
  last_include = None
  for index, line in enumerate(lines):
    if line.startswith("#include"):
      last_include = index
    if line.startswith("namespace "):
      break
  if last_include is None:
    # A file with no include: put it after #pragma once or at the top.
    position = next((i + 1 for i, line in enumerate(lines) if line.startswith("#pragma once")), 0)
    lines.insert(position, include)
  else:
    lines.insert(last_include + 1, include)
  return "\n".join(lines)


def Apply():
  for directory, (namespace, reads) in LAYERS.items():
    (ROOT / "src" / directory / "layer.h").write_text(LayerHeader(directory, namespace, reads))
    for path in Files(directory):
      relative = str(path.relative_to(ROOT))
      text = path.read_text()
      target = "kql" if relative in PUBLIC_API_FILES else f"kql::{namespace}"
      # Only the bare `kql` namespace moves, so that running --apply again changes nothing.
      new_text = BARE_OPEN.sub(f"namespace {target} {{", text)
      new_text = BARE_CLOSE.sub(f"}}  // namespace {target}", new_text)
      if "namespace kql" in new_text:
        new_text = IncludeLayerHeader(new_text, directory)
      if relative in PUBLIC_API_FILES and PUBLIC_API_USING not in new_text:
        new_text = new_text.replace("namespace kql {\n", "namespace kql {\n" + PUBLIC_API_USING, 1)
      if new_text != text:
        path.write_text(new_text)
  for folder in ("tests", "tools"):
    for path in sorted((ROOT / folder).rglob("*")):
      if path.suffix in (".h", ".cpp"):
        ApplyToConsumer(path)
  for relative, old, new in FIXUPS:
    path = ROOT / relative
    text = path.read_text()
    if old in text:
      path.write_text(text.replace(old, new))


QUALIFIED = re.compile(r"(?<!using )\bkql::(?=k?[A-Z])")


def ApplyToConsumer(path):
  """Lets a test or tool file see every layer: it includes rules/layer.h and uses kql::rules (whose layer header
  uses every layer below it)."""
  text = path.read_text()
  if "kql" not in text or "rules/layer.h" in text:
    return
  text = QUALIFIED.sub("", text)
  text = IncludeLayerHeader(text, "rules")
  opening = re.search(r"^namespace kql::[a-z_]+ \{\n", text, re.M)
  if opening:
    text = text[:opening.end()] + "\nusing namespace kql::rules;\n" + text[opening.end():]
  else:
    marker = '#include "rules/layer.h"\n'
    text = text.replace(marker, marker + "\nusing namespace kql;\nusing namespace kql::rules;\n", 1)
  path.write_text(text)


def Check():
  """A layer file that opens a kql namespace opens its own; it may also open `kql` or a layer it reads (forward
  declarations of their types), nothing else."""
  problems = []
  for directory, (namespace, reads) in LAYERS.items():
    for path in Files(directory):
      relative = str(path.relative_to(ROOT))
      own = "kql" if relative in PUBLIC_API_FILES else f"kql::{namespace}"
      allowed = {own, "kql"} | {f"kql::{read}" for read in reads}
      opened = ["kql" + (match.group(1) or "") for match in OPEN.finditer(path.read_text())]
      if opened and own not in opened:
        problems.append(f"{relative}: the {directory} layer's code belongs in namespace {own} "
                        f"(run scripts/layer_namespaces.py --apply)")
      for name in opened:
        if name not in allowed:
          problems.append(f"{relative}: opens namespace {name}, which the {directory} layer does not read")
  for problem in problems:
    print(problem)
  return 1 if problems else 0


if __name__ == "__main__":
  if sys.argv[1:] == ["--apply"]:
    Apply()
  elif sys.argv[1:] == ["--check"]:
    sys.exit(Check())
  else:
    print(__doc__)
    sys.exit(2)
