#!/usr/bin/env python3
"""`kqlite query --chart`: the Vega-Lite spec of each chart kind equals its golden, and the HTML page is offline.

For every tests/e2e/charts/NAME.kql, `kqlite query -f NAME.kql --chart OUT.json` must write the spec in
charts/NAME.json (compared as parsed JSON; --update rewrites the goldens). Unsupported visualizations and missing
columns exit 2 naming them. When the npm chart scripts are installed (scripts/web_deps.sh), each spec is also compiled
by Vega-Lite and drawn to SVG by Vega under node (web/chart_svg.cjs, what --chart FILE.svg runs), and the --chart
HTML page must inline every script: no <script src>, <link> or other attribute pointing at http(s).
Usage: chart_specs.py <kqlite binary> <source dir> <build dir> [--update]
"""
import html.parser
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

kqlite, source_dir, build_dir = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
update = "--update" in sys.argv
charts = source_dir / "tests" / "e2e" / "charts"
work = pathlib.Path(tempfile.mkdtemp())
failures = []


def run(*args):
    return subprocess.run([kqlite, "query", *args], capture_output=True, text=True)


specs = {}
for query in sorted(charts.glob("*.kql")):
    out = work / (query.stem + ".json")
    result = run("-f", str(query), "--chart", str(out))
    if result.returncode != 0:
        failures.append(f"{query.name}: exit {result.returncode}: {result.stderr}")
        continue
    spec = json.loads(out.read_text())
    specs[query.stem] = spec
    golden = charts / (query.stem + ".json")
    if update:
        golden.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n")
    elif not golden.exists() or json.loads(golden.read_text()) != spec:
        failures.append(f"{query.name}: spec differs from {golden.name}:\n{json.dumps(spec, indent=2)}")
    if query.stem == "scatterchart" and "render property 'accumulate' is not drawn" not in result.stderr:
        failures.append(f"scatterchart: no warning naming accumulate: {result.stderr!r}")

# Charts that cannot be drawn are errors that name the reason (exit 2), never a silent approximation.
for text, expected in [
    ("print a=1, b=2 | render anomalychart", "render anomalychart is not drawn"),
    ("print Name='x', Count=2 | render timechart", "no datetime column"),
    ("print Name='x', Count=2 | render columnchart with (ycolumns=Missing)", "ycolumns column 'Missing' is not a"),
    ("print Name='x', Count=2 | render barchart with (ycolumns=Name)", "'Name' is string, not numeric"),
    ("print Name='x', Count=2", "the query has no `render` operator"),
]:
    result = run(text, "--chart", str(work / "bad.html"))
    if result.returncode != 2 or expected not in result.stderr:
        failures.append(f"{text!r}: expected exit 2 and {expected!r}, got {result.returncode}: {result.stderr!r}")

assets = build_dir / "web" / "assets"
node = shutil.which("node")
if (assets / "vega" / "vega.min.js").exists() and node:
    # Vega-Lite compiles each spec and Vega draws it: the SVG has marks.
    for name, spec in specs.items():
        spec_file = work / (name + ".json")
        result = subprocess.run([node, str(source_dir / "web" / "chart_svg.cjs"), str(assets),
                                 str(spec_file), str(work / (name + ".svg"))], capture_output=True, text=True)
        if result.returncode != 0:
            failures.append(f"{name}: Vega could not draw the spec: {result.stdout}{result.stderr}")
        elif "<path" not in (work / (name + ".svg")).read_text():
            failures.append(f"{name}: the SVG has no marks")

    class ExternalRefs(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.refs, self.scripts = [], 0

        def handle_starttag(self, tag, attrs):
            if tag == "script":
                self.scripts += 1
            for key, value in attrs:
                if tag == "script" and key == "src" or tag == "link" or \
                        (value or "").lower().startswith(("http:", "https:", "//")):
                    self.refs.append(f"<{tag} {key}={value}>")

    svg = work / "pie.svg"
    result = run("-f", str(charts / "piechart.kql"), "--chart", str(svg))
    if result.returncode != 0 or not svg.read_text().startswith("<svg") or "Rdp (external!)" not in svg.read_text():
        failures.append(f"--chart FILE.svg: exit {result.returncode}: {result.stderr}")

    page = work / "timechart.html"
    result = run("-f", str(charts / "timechart_series.kql"), "--chart", str(page))
    if result.returncode != 0:
        failures.append(f"--chart HTML: exit {result.returncode}: {result.stderr}")
    else:
        parser = ExternalRefs()
        parser.feed(page.read_text())
        if parser.refs:
            failures.append(f"the chart page references outside files: {parser.refs}")
        if parser.scripts != 4:
            failures.append(f"the chart page should inline vega, vega-lite, vega-embed and the spec: {parser.scripts}")
        if "Connections per device" not in page.read_text():
            failures.append("the chart page lacks the title")
elif shutil.which("npm"):
    failures.append(f"npm is installed but the chart scripts are not in {assets} (scripts/web_deps.sh failed?)")
else:
    print("chart_specs: npm is not installed: the Vega drawing and HTML checks are skipped")

shutil.rmtree(work)
for failure in failures:
    print("FAIL:", failure)
if failures:
    sys.exit(1)
print(f"chart_specs: ok ({len(specs)} chart kinds)")
