#!/usr/bin/env python3
"""Writes kqlite's bundled demo data: data/demo/DeviceNetworkEvents.jsonl.

Deterministic (fixed seed, fixed clock). The data holds ordinary traffic, TacticalRMM agent connections the seed
rule must find, and near misses it must not: a look-alike domain (nottacticalrmm.io), a look-alike company
(AmidaWareX), the right domain from a browser, and real hits older than the rule's 5-day window.
Usage: python3 scripts/gen_demo_data.py [OUT]   (python3 standard library only)
"""
import datetime
import json
import random
import sys

NOW = datetime.datetime(2026, 11, 20, 12, 0, 0, tzinfo=datetime.timezone.utc)
COLUMNS = ["Timestamp", "DeviceId", "DeviceName", "ActionType", "RemoteIP", "RemotePort", "RemoteUrl", "LocalIP",
           "LocalPort", "Protocol", "LocalIPType", "RemoteIPType", "InitiatingProcessFileName",
           "InitiatingProcessFolderPath", "InitiatingProcessCommandLine", "InitiatingProcessVersionInfoCompanyName",
           "InitiatingProcessVersionInfoProductName", "InitiatingProcessAccountDomain",
           "InitiatingProcessAccountName", "InitiatingProcessId", "ReportId"]


def ts(when):
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + "%07dZ" % (when.microsecond * 10)


def device(rng, index):
    name = "ws-%03d.corp.contoso.com" % index
    device_id = "%040x" % rng.getrandbits(160)
    return device_id, name


def row(rng, when, dev, url, ip, port, process, folder, cmd, company, product, account="svc-admin"):
    return {
        "Timestamp": ts(when), "DeviceId": dev[0], "DeviceName": dev[1], "ActionType": "ConnectionSuccess",
        "RemoteIP": ip, "RemotePort": port, "RemoteUrl": url,
        "LocalIP": "10.1.%d.%d" % (rng.randint(0, 20), rng.randint(2, 250)), "LocalPort": rng.randint(49152, 65535),
        "Protocol": "Tcp", "LocalIPType": "Private", "RemoteIPType": "Public" if not ip.startswith("10.") else "Private",
        "InitiatingProcessFileName": process, "InitiatingProcessFolderPath": folder,
        "InitiatingProcessCommandLine": cmd, "InitiatingProcessVersionInfoCompanyName": company,
        "InitiatingProcessVersionInfoProductName": product, "InitiatingProcessAccountDomain": "contoso",
        "InitiatingProcessAccountName": account, "InitiatingProcessId": rng.randint(1000, 60000),
        "ReportId": rng.randint(1000, 999999),
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "data/demo/DeviceNetworkEvents.jsonl"
    rng = random.Random(20261120)
    devices = [device(rng, i) for i in range(40)]
    normal = [
        ("www.microsoft.com", "20.70.246.20", 443, "msedge.exe", r"c:\program files (x86)\microsoft\edge\application\msedge.exe",
         "msedge.exe --type=utility", "Microsoft Corporation", "Microsoft Edge"),
        ("login.microsoftonline.com", "20.190.151.7", 443, "svchost.exe", r"c:\windows\system32\svchost.exe",
         "svchost.exe -k netsvcs -p", "Microsoft Corporation", "Microsoft Windows Operating System"),
        ("github.com", "140.82.121.4", 443, "git.exe", r"c:\program files\git\mingw64\bin\git.exe",
         "git.exe fetch origin", "The Git Development Community", "Git"),
        ("", "10.0.0.10", 53, "svchost.exe", r"c:\windows\system32\svchost.exe",
         "svchost.exe -k NetworkService -p -s Dnscache", "Microsoft Corporation", "Microsoft Windows Operating System"),
        ("update.googleapis.com", "142.250.74.99", 443, "chrome.exe", r"c:\program files\google\chrome\application\chrome.exe",
         "chrome.exe --type=utility", "Google LLC", "Google Chrome"),
    ]
    agent = ("tacticalrmm.exe", r"c:\program files\tacticalagent\tacticalrmm.exe",
             r'"C:\Program Files\TacticalAgent\tacticalrmm.exe" -m svc', "Tactical RMM Agent")
    rows = []
    start = NOW - datetime.timedelta(days=7)
    for i in range(1500):
        when = start + datetime.timedelta(seconds=i * (7 * 86400 - 60) / 1500.0)
        dev = devices[rng.randrange(len(devices))]
        url, ip, port, process, folder, cmd, company, product = normal[rng.randrange(len(normal))]
        rows.append(row(rng, when, dev, url, ip, port, process, folder, cmd, company, product, "user%02d" % rng.randrange(30)))
    # TacticalRMM agent connections inside the 5-day window: three devices.
    hits = [(devices[3], "api.tacticalrmm.io", "AmidaWare Inc.", 4), (devices[3], "mesh.tacticalrmm.io", "AmidaWare Inc.", 2),
            (devices[17], "api.tacticalrmm.io", "Tactical Techs", 3), (devices[29], "mesh.tacticalrmm.io", "AmidaWare LLC", 1)]
    for dev, url, company, count in hits:
        for k in range(count):
            when = NOW - datetime.timedelta(days=4, hours=-k * 7, minutes=rng.randrange(50))
            rows.append(row(rng, when, dev, url, "172.67.%d.%d" % (rng.randrange(255), rng.randrange(255)), 443,
                            agent[0], agent[1], agent[2], company, agent[3], "system"))
    # Near misses the rule must not report.
    misses = [
        (devices[5], "nottacticalrmm.io", "AmidaWare Inc."),       # look-alike domain: 'has' needs a term boundary
        (devices[6], "api.tacticalrmm.io", "AmidaWareX Ltd"),      # look-alike company
        (devices[7], "api.tacticalrmm.io", "Google LLC"),          # browser visiting the site
        (devices[8], "tacticalrmm.io.example.net", "Contoso Tools"),  # domain term, wrong company
    ]
    for dev, url, company in misses:
        when = NOW - datetime.timedelta(days=1, minutes=rng.randrange(600))
        rows.append(row(rng, when, dev, url, "104.21.%d.%d" % (rng.randrange(255), rng.randrange(255)), 443,
                        agent[0], agent[1], agent[2], company, "Look-alike", "system"))
    # A real hit older than the rule's 5-day window.
    rows.append(row(rng, NOW - datetime.timedelta(days=6, hours=3), devices[11], "api.tacticalrmm.io",
                    "172.67.1.2", 443, agent[0], agent[1], agent[2], "AmidaWare Inc.", agent[3], "system"))
    rows.sort(key=lambda r: r["Timestamp"])
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps({c: r[c] for c in COLUMNS}, separators=(",", ":")) + "\n")
    print("wrote %d rows to %s (demo now %s)" % (len(rows), out, ts(NOW)))


if __name__ == "__main__":
    main()
