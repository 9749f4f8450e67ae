#!/usr/bin/env python3
"""Writes the foreign table of external/clickhouse_foreign_types: its CREATE TABLE and its rows as TabSeparated,
for 18.16 (`basic`) or current ClickHouse (`current`: also DateTime64(3|7|9), IPv4/IPv6, LowCardinality(Nullable)).
Messy on purpose: times on and around second boundaries, nulls, negative and out-of-range integers, Float32 values
that are not exact doubles, non-ASCII host names. Usage: foreign_types.py basic|current OUT_DIR"""
import datetime
import random
import sys

variant, out = sys.argv[1], sys.argv[2]
columns = [
    ("EventTime", "DateTime"), ("Seen", "Nullable(DateTime)"), ("Day", "Date"), ("Host", "LowCardinality(String)"),
    ("Account", "Nullable(String)"), ("Bytes", "UInt32"), ("Port", "UInt16"), ("Delta", "Int32"), ("Small", "Int8"),
    ("Big", "Int64"), ("Huge", "UInt64"), ("Score", "Float32"), ("Ratio", "Nullable(Float64)"), ("Flag", "UInt8"),
    ("Id", "UUID"), ("Kind", "Enum8('allow' = 1, 'deny' = 2)"),
]
if variant == "current":
    columns += [("T3", "DateTime64(3)"), ("T7", "Nullable(DateTime64(7, 'UTC'))"), ("T9", "DateTime64(9, 'UTC')"),
                ("Src", "IPv4"), ("Dst", "Nullable(IPv6)"), ("Tag", "LowCardinality(Nullable(String))")]
rng = random.Random(8)


def Text(second):
    return datetime.datetime.fromtimestamp(second, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


hosts = ["dc-01.corp.contoso.com", "DC-02", "ws-017", "ws-ünïcode-03", "srv\u212aiosk", "web01.dmz"]
accounts = ["admin", "ADMIN", "svc_backup", "", None, "jdoe@contoso.com"]
rows = []
for i in range(300):
    second = 1714521600 + 28800 + rng.choice([0, 0, 1, 59, 60, 3599, 3600, 7199]) + rng.randrange(0, 4) * 3600
    row = {
        "EventTime": Text(second),
        "Seen": None if i % 7 == 0 else Text(second + rng.randrange(-86400, 86400)),
        "Day": "2024-05-%02d" % rng.choice([1, 1, 2, 30 if False else 3]),
        "Host": rng.choice(hosts),
        "Account": rng.choice(accounts),
        "Bytes": str(rng.choice([0, 1, 443, 65535, 4294967295, rng.randrange(0, 1 << 32)])),
        "Port": str(rng.choice([443, 80, 8443, 65535, 0])),
        "Delta": str(rng.choice([-2147483648, -1, 0, 1, 2147483647, rng.randrange(-1000, 1000)])),
        "Small": str(rng.randrange(-128, 128)),
        "Big": str(rng.choice([-(1 << 63), (1 << 63) - 1, 0, rng.randrange(-(1 << 40), 1 << 40)])),
        "Huge": str(rng.choice([0, (1 << 63) - 1, 1 << 63, (1 << 64) - 1, rng.randrange(0, 1 << 64)])),
        "Score": rng.choice(["0.1", "0.5", "1e-3", "3.4028235e38", "-0", "0.7"]),
        "Ratio": rng.choice([None, "0.25", "1.5", "-2.75", "1e300"]),
        "Flag": str(rng.choice([0, 1, 2])),
        "Id": "%08x-%04x-4%03x-a%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                               rng.getrandbits(12), rng.getrandbits(48)),
        "Kind": rng.choice(["allow", "deny", "deny"]),
    }
    if variant == "current":
        fraction = rng.choice(["000", "123", "999", "500"])
        row["T3"] = "%s.%s" % (Text(second), fraction)
        row["T7"] = None if i % 5 == 0 else "%s.%s" % (Text(second), rng.choice(["1234567", "0000000", "9999999"]))
        row["T9"] = rng.choice(["%s.123456789" % Text(second), "1969-12-31 23:59:58.999999999",
                                "1969-12-31 00:00:00.000000001", "1970-01-01 00:00:00.000000050"])
        row["Src"] = rng.choice(["10.0.0.1", "192.168.10.20", "0.0.0.0", "255.255.255.255"])
        row["Dst"] = rng.choice([None, "::1", "::ffff:10.0.0.1", "2001:db8::8a2e:370:7334"])
        row["Tag"] = rng.choice([None, "", "prod", "lab"])
    rows.append(row)


def cell(name, value):
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t")


with open(out + "/create.sql", "w", encoding="utf-8") as handle:
    handle.write("CREATE TABLE Events (%s) ENGINE = MergeTree() ORDER BY EventTime"
                 % ", ".join("`%s` %s" % c for c in columns))
with open(out + "/rows.tsv", "w", encoding="utf-8") as handle:
    for row in rows:
        handle.write("\t".join(cell(name, row[name]) for name, _ in columns) + "\n")
