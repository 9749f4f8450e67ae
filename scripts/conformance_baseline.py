#!/usr/bin/env python3
"""conformance_baseline.py: regression guard over the engine conformance cases (tools/conformance).

Runs <build>/kql_conformance over ../shared/conformance (Microsoft's engine answers and documented examples; or
$KQL_CONFORMANCE_DIR) and fails when a case listed in tests/data/conformance/engine_baseline.txt (the ids that
passed when it was recorded) no longer passes. New passes are fine; --update records them.
Without ../shared it runs the small shipped subset tests/data/conformance/subset/ instead (a copy of some of
Microsoft's engine answers) and checks the baseline ids it contains.

Usage: scripts/conformance_baseline.py [--build DIR] [--update]     (KQL_NO_SHARED=1 forces the subset)
Exit codes: 0 ok, 1 a baseline case fails, 2 usage or missing tools.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "tests/data/conformance/engine_baseline.txt")
SUBSET = os.path.join(ROOT, "tests/data/conformance/subset")


def cases_dir():
    if os.environ.get("KQL_NO_SHARED") == "1":  # test the fresh-clone path
        return SUBSET, True
    for candidate in (os.environ.get("KQL_CONFORMANCE_DIR"), os.path.join(ROOT, "../shared/conformance"),
                      "/work/shared/conformance"):
        if candidate and os.path.isfile(os.path.join(candidate, "kusto_engine_cases.jsonl")):
            return candidate, False
    return SUBSET, True


def case_ids(directory):
    ids = set()
    for name, prefix in (("kusto_engine_cases.jsonl", ""), ("doc_cases.jsonl", "doc:")):
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    value = json.loads(line)["id"]
                    ids.add(prefix + (value if isinstance(value, str) else json.dumps(value)))
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--update", action="store_true", help="record the cases that pass now as the baseline")
    args = parser.parse_args()
    binary = os.path.join(args.build, "kql_conformance")
    if not os.access(binary, os.X_OK):
        print(f"conformance_baseline: {binary} is missing; build it with: cmake --build {args.build} "
              "--target kql_conformance")
        return 2
    directory, is_subset = cases_dir()
    if is_subset:
        print("conformance_baseline: ../shared/conformance is absent; running the shipped subset "
              f"({os.path.relpath(SUBSET, ROOT)}) only")
    if args.update and is_subset:
        print("conformance_baseline: --update needs the full cases in ../shared/conformance")
        return 2
    with tempfile.TemporaryDirectory() as work:
        passed_path = os.path.join(work, "passed.txt")
        run = subprocess.run([binary, "--dir", directory, "--passed", passed_path], capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stdout + run.stderr)
            return 2
        passed = {line.strip() for line in open(passed_path, encoding="utf-8") if line.strip()}
    if args.update:
        with open(BASELINE, "w", encoding="utf-8") as out:
            out.write("\n".join(sorted(passed)) + "\n")
        print(f"conformance_baseline: wrote {BASELINE} ({len(passed)} passing cases)")
        return 0
    baseline = [line.strip() for line in open(BASELINE, encoding="utf-8") if line.strip()]
    present = case_ids(directory)
    checked = [case for case in baseline if case in present]
    lost = [case for case in checked if case not in passed]
    gained = passed - set(baseline)
    for case in lost:
        print(f"REGRESSION: conformance case {case} passed before and fails now "
              f"(run: {binary} --dir {directory} --filter {case} --verbose)")
    print(f"conformance_baseline: {len(checked) - len(lost)} of {len(checked)} baseline cases pass; "
          f"{len(passed)} pass in all" + (f"; {len(gained)} new passes (record with --update)" if gained else ""))
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
