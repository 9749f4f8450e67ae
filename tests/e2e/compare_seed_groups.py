#!/usr/bin/env python3
"""Compares kqlite's JSON-lines output of the seed rule with the generator's expected groups; exits 1 on a diff."""
import json
import sys


def main():
    actual_path, expected_path = sys.argv[1], sys.argv[2]
    expected = json.load(open(expected_path))["groups"]
    actual = [json.loads(line) for line in open(actual_path) if line.strip()]
    problems = []
    if actual and list(actual[0].keys()) != ["DeviceId", "DeviceName", "RemoteUrl", "FirstSeen", "LastSeen", "Report", "Count"]:
        problems.append("columns: %s" % list(actual[0].keys()))

    def key(g):
        return (g["DeviceId"], g["DeviceName"], g["RemoteUrl"])

    want = {key(g): g for g in expected}
    got = {key(g): g for g in actual}
    for k in sorted(set(want) - set(got)):
        problems.append("missing group %s" % (k,))
    for k in sorted(set(got) - set(want)):
        problems.append("unexpected group %s" % (k,))
    for k in sorted(set(want) & set(got)):
        w, g = want[k], got[k]
        for field in ("FirstSeen", "LastSeen", "Count"):
            if w[field] != g[field]:
                problems.append("%s %s: expected %r got %r" % (k, field, w[field], g[field]))
        if sorted(w["Report"]) != sorted(g["Report"]):
            problems.append("%s Report: expected %r got %r" % (k, sorted(w["Report"]), sorted(g["Report"])))
    if problems:
        print("\n".join(problems[:50]))
        print("%d problem(s); %d expected groups, %d actual" % (len(problems), len(want), len(got)))
        sys.exit(1)
    print("%d groups match" % len(want))


if __name__ == "__main__":
    main()
