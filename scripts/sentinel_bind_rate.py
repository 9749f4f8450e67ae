#!/usr/bin/env python3
"""sentinel_bind_rate.py: of the real Sentinel queries Microsoft's binder accepts, how many kqlite binds.

Inputs (../shared, or $KQL_SHARED_DIR):
  conformance/sentinel_queries.jsonl         1,024 real detection and hunting queries
  data/schemas/log_analytics_tables.json     the Log Analytics tables they are bound against
Oracle: Microsoft's Kusto.Language binder through ../shared/tools/kqlcheck.js. Its verdicts are cached in
tests/data/conformance/sentinel_oracle.jsonl (id, syntax_ok, semantic_ok, first error code) so that machines
without node still measure. To refresh the cache (needs node and npm):
  mkdir -p tools/oracle && cd tools/oracle && npm init -y && npm install @kusto/language-service-next
  scripts/sentinel_bind_rate.py --update-oracle          (tools/oracle/ is git-ignored; KUSTO_LS_DIR overrides)
kqlite side: <build>/bind_check (tests/tools/bind_check.cpp) with --schema on the same schema file.

Usage:
  scripts/sentinel_bind_rate.py [--build DIR] [--details] [--doc]
  scripts/sentinel_bind_rate.py --check            ctest: fail when a query of the baseline stops binding
  scripts/sentinel_bind_rate.py --update-baseline  record the queries that bind now as the baseline
--doc rewrites the "Sentinel queries (bind)" section of docs/compatibility.md (between its markers).
Exit codes: 0 ok, 1 regression (--check), 2 usage or missing tools, 77 skipped (no ../shared data).
"""
import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORACLE = os.path.join(ROOT, "tests/data/conformance/sentinel_oracle.jsonl")
BASELINE = os.path.join(ROOT, "tests/data/conformance/sentinel_bind_baseline.txt")
DOC = os.path.join(ROOT, "docs/compatibility.md")
BEGIN, END = "<!-- sentinel-bind:begin -->", "<!-- sentinel-bind:end -->"
SKIP = 77


def shared_dir():
    if os.environ.get("KQL_NO_SHARED") == "1":  # test the fresh-clone path
        return None
    for candidate in (os.environ.get("KQL_SHARED_DIR"), os.path.join(ROOT, "..", "shared"), "/work/shared"):
        if candidate and os.path.isfile(os.path.join(candidate, "conformance/sentinel_queries.jsonl")):
            return candidate
    return None


def read_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def update_oracle(shared, queries_path, schema_path):
    kusto_dir = os.environ.get("KUSTO_LS_DIR", os.path.join(ROOT, "tools/oracle"))
    if not os.path.isdir(os.path.join(kusto_dir, "node_modules/@kusto/language-service-next")):
        sys.exit(f"sentinel_bind_rate: install the oracle first (see the header of {sys.argv[0]})")
    env = dict(os.environ, KUSTO_LS_DIR=kusto_dir)
    with open(queries_path, "rb") as stdin:
        output = subprocess.run(["node", os.path.join(shared, "tools/kqlcheck.js"), "--schema", schema_path],
                                stdin=stdin, capture_output=True, env=env, check=True).stdout.decode()
    with open(ORACLE, "w", encoding="utf-8") as out:
        for line in output.splitlines():
            verdict = json.loads(line)
            errors = verdict.get("semantic_errors") or verdict.get("syntax_errors") or []
            record = {"id": verdict["id"], "syntax_ok": verdict.get("syntax_ok", False),
                      "semantic_ok": verdict.get("semantic_ok", False)}
            if errors:
                record["first_error"] = errors[0].get("code", "")
            out.write(json.dumps(record) + "\n")
    print(f"sentinel_bind_rate: wrote {ORACLE}")


def run_bind_check(build, queries_path, schema_path):
    binary = os.path.join(build, "bind_check")
    if not os.access(binary, os.X_OK):
        sys.exit(f"sentinel_bind_rate: {binary} is missing; build it with: cmake --build {build} --target bind_check")
    with open(queries_path, "rb") as stdin:
        output = subprocess.run([binary, "--schema", schema_path], stdin=stdin, capture_output=True,
                                check=True).stdout.decode()
    return {str(record["id"]): record for record in map(json.loads, output.splitlines())}


def reason_of(record):
    """Groups failures: the code and the message with quoted or trailing names kept (they name the feature)."""
    message = re.sub(r"; did you mean .*$", "", " ".join(record.get("message", "").split()))
    if len(message) > 100:
        message = message[:97] + "..."
    return f'{record.get("code", "?")} {message}'


def section(accepted, binding, failures, total, rejected):
    today = datetime.date.today().isoformat()
    rate = 100.0 * len(binding) / max(1, len(accepted))
    lines = [
        f"Measured on {today} by `scripts/sentinel_bind_rate.py`: the {total} real Sentinel / Defender queries of "
        "`../shared/conformance/sentinel_queries.jsonl`, bound against the 898 tables of "
        "`../shared/data/schemas/log_analytics_tables.json` (no workspace functions), by Microsoft's binder "
        "(`@kusto/language-service-next`, verdicts cached in `tests/data/conformance/sentinel_oracle.jsonl`) and "
        "by kqlite (`tests/tools/bind_check.cpp`).",
        "",
        f"**Microsoft's binder accepts {len(accepted)}; kqlite binds {len(binding)} of them ({rate:.1f}%).** "
        f"The other {rejected} use tables or functions the schema lacks (custom `_CL` tables, ASIM parsers, "
        "watchlists) or are broken; give kqlite those with `--schema` and `--functions`.",
        "",
        "Queries Microsoft accepts and kqlite does not, by first kqlite diagnostic:",
        "",
        "| reason | queries |",
        "|---|---|",
    ]
    for reason, ids in sorted(failures.items(), key=lambda item: (-len(item[1]), item[0])):
        cell = reason.replace("|", "\\|")
        lines.append(f"| `{cell}` | {len(ids)} |")
    if not failures:
        lines.append("| (none) | 0 |")
    lines += ["", "`ctest -R conformance/sentinel_bind` fails when a query of "
              "`tests/data/conformance/sentinel_bind_baseline.txt` stops binding; "
              "`scripts/sentinel_bind_rate.py --update-baseline` records new passes."]
    return "\n".join(lines)


def rewrite_doc(body):
    text = open(DOC, encoding="utf-8").read()
    block = f"{BEGIN}\n{body}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n## Sentinel queries (bind)\n\n" + block + "\n"
    open(DOC, "w", encoding="utf-8").write(text)
    print(f"sentinel_bind_rate: updated {DOC}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--update-baseline", action="store_true")
    parser.add_argument("--update-oracle", action="store_true")
    parser.add_argument("--details", action="store_true", help="list every failing query id under its reason")
    parser.add_argument("--doc", action="store_true")
    args = parser.parse_args()

    shared = shared_dir()
    if shared is None:
        print("sentinel_bind_rate: SKIPPED: ../shared/conformance/sentinel_queries.jsonl is absent "
              "(set KQL_SHARED_DIR to the shared material)")
        return SKIP
    queries_path = os.path.join(shared, "conformance/sentinel_queries.jsonl")
    schema_path = os.path.join(shared, "data/schemas/log_analytics_tables.json")
    if args.update_oracle:
        update_oracle(shared, queries_path, schema_path)
    oracle = {str(record["id"]): record for record in read_jsonl(ORACLE)}
    ours = run_bind_check(args.build, queries_path, schema_path)
    queries = read_jsonl(queries_path)
    accepted = [str(q["id"]) for q in queries
                if oracle.get(str(q["id"]), {}).get("syntax_ok") and oracle[str(q["id"])].get("semantic_ok")]
    binding = [qid for qid in accepted if ours.get(qid, {}).get("ok")]
    failures = collections.defaultdict(list)
    for qid in accepted:
        if not ours.get(qid, {}).get("ok"):
            failures[reason_of(ours.get(qid, {"code": "?", "message": "not run"}))].append(qid)
    rate = 100.0 * len(binding) / max(1, len(accepted))
    print(f"sentinel_bind_rate: Microsoft accepts {len(accepted)} of {len(queries)}; kqlite binds {len(binding)} "
          f"({rate:.1f}%)")
    for reason, ids in sorted(failures.items(), key=lambda item: (-len(item[1]), item[0])):
        print(f"  {len(ids):4d}  {reason}" + (f"   [{', '.join(ids)}]" if args.details else ""))
    if args.doc:
        rewrite_doc(section(accepted, binding, failures, len(queries), len(queries) - len(accepted)))
    if args.update_baseline:
        with open(BASELINE, "w", encoding="utf-8") as out:
            out.write("\n".join(sorted(binding, key=int)) + "\n")
        print(f"sentinel_bind_rate: wrote {BASELINE} ({len(binding)} ids)")
    if args.check:
        baseline = [line.strip() for line in open(BASELINE, encoding="utf-8") if line.strip()]
        lost = [qid for qid in baseline if not ours.get(qid, {}).get("ok")]
        gained = sorted(set(binding) - set(baseline), key=int)
        for qid in lost:
            print(f"REGRESSION: query {qid} bound before and now fails: {reason_of(ours.get(qid, {}))}")
        if gained:
            print(f"note: {len(gained)} queries bind that the baseline does not list; record them with "
                  "--update-baseline")
        return 1 if lost else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
