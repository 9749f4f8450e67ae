#!/usr/bin/env python3
"""Prints a kqlite --format jsonl result in a canonical form: each row's arrays sorted (make_set order is
unspecified), rows sorted. Usage: normalize_result.py RESULT.jsonl"""
import json
import sys


def canonical(value):
    if isinstance(value, list):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, float):
        return round(value, 9)
    return value


rows = []
with open(sys.argv[1], encoding="utf-8") as handle:
    for line in handle:
        if line.strip():
            row = json.loads(line)
            rows.append(json.dumps({k: canonical(v) for k, v in row.items()}, sort_keys=True, ensure_ascii=False))
for row in sorted(rows):
    print(row)
