#!/usr/bin/env python3
"""`kqlite serve`'s JSON API without a browser: /api/schema, /api/query (rows, diagnostics, chart), /api/hunt,
/api/cancel (a long query is cancelled from a second connection), the Host and Content-Type guards, the UI's
embedded files, and Ctrl-C stopping the server with exit 0.
Usage: web_api.py <kqlite binary> <source dir>
"""
import json
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

kqlite, source_dir = sys.argv[1], pathlib.Path(sys.argv[2])
work = pathlib.Path(tempfile.mkdtemp())
data = work / "DeviceNetworkEvents.jsonl"
subprocess.run([sys.executable, str(source_dir / "scripts" / "gen_demo_data.py"), str(data)], check=True,
               capture_output=True)
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


server = subprocess.Popen([kqlite, "serve", "--data", str(data), "--port", "0", "--max-rows", "50"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
line = server.stdout.readline()
match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
if not match:
    server.kill()
    sys.exit(f"FAIL: serve did not start: {line!r} {server.stderr.read()!r}")
port = int(match.group(1))
base = f"http://127.0.0.1:{port}"


def request(path, body=None, headers=None, method=None):
    data_bytes = None if body is None else json.dumps(body).encode()
    all_headers = {"Content-Type": "application/json"} if body is not None else {}
    all_headers.update(headers or {})
    req = urllib.request.Request(base + path, data=data_bytes, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


try:
    status, body = request("/api/schema")
    schema = json.loads(body)
    tables = {table["name"]: table for table in schema["tables"]}
    check(status == 200 and list(tables) == ["DeviceNetworkEvents"], f"schema tables: {body[:200]}")
    columns = {c["name"]: c["type"] for c in tables["DeviceNetworkEvents"]["columns"]}
    check(columns.get("Timestamp") == "datetime" and columns.get("RemotePort") == "int", f"schema columns: {columns}")
    check(tables["DeviceNetworkEvents"]["files"] == [str(data)], f"schema files: {tables['DeviceNetworkEvents']}")

    # Rows, typed columns, the whole count and the --max-rows cut.
    status, body = request("/api/query", {"query": "DeviceNetworkEvents | where RemoteUrl has 'tacticalrmm' "
                                                   "| summarize n = count() by RemoteUrl | order by RemoteUrl asc"})
    result = json.loads(body)
    check(result["ok"] and result["columns"] == [{"name": "RemoteUrl", "type": "string"}, {"name": "n", "type": "long"}],
          f"query columns: {body[:300]}")
    check(result["rows"] and all(isinstance(row[1], int) for row in result["rows"]), f"query rows: {result['rows']}")
    check(result["render"] is None and result["chart"] is None, "a query without render has no chart")
    status, body = request("/api/query", {"query": "DeviceNetworkEvents | project Timestamp"})
    result = json.loads(body)
    check(result["row_count"] == 1515 and len(result["rows"]) == 50 and result["truncated"],
          f"max-rows: count {result.get('row_count')}, rows {len(result.get('rows', []))}")

    # Diagnostics with positions; a malformed request is a 400.
    status, body = request("/api/query", {"query": "DeviceNetworkEvents\n| where NoSuchColumn > 1"})
    result = json.loads(body)
    diagnostic = (result.get("diagnostics") or [{}])[0]
    check(not result["ok"] and diagnostic.get("code") == "KQL2001" and diagnostic.get("line") == 2 and
          diagnostic.get("column") == 9 and diagnostic.get("length") == len("NoSuchColumn"), f"diagnostics: {body}")
    status, body = request("/api/query", {"query": 42})
    check(status == 400 and "must be a string" in body, f"non-string query: {status} {body}")
    status, body = request("/api/query", {})
    check(status == 400 and "no query" in body, f"empty query: {status} {body}")

    # render: the chart spec is the one --chart writes.
    chart_query = ("DeviceNetworkEvents | summarize Connections = count() by bin(Timestamp, 1d) "
                   "| render columnchart with (title='Per day')")
    status, body = request("/api/query", {"query": chart_query})
    result = json.loads(body)
    spec_file = work / "spec.json"
    subprocess.run([kqlite, "query", "--data", str(data), chart_query, "--chart", str(spec_file)], check=True,
                   capture_output=True)
    check(result["render"]["visualization"] == "columnchart" and result["chart"] == json.loads(spec_file.read_text()),
          f"chart differs from --chart's: {json.dumps(result.get('chart'))[:300]}")
    status, body = request("/api/query", {"query": "print a = 1 | render ladderchart"})
    result = json.loads(body)
    check(result["ok"] and result["chart"] is None and "ladderchart is not drawn" in result["chart_error"],
          f"undrawable chart: {body}")

    # Hunt: the built-in rules over the loaded data, alerts with entities and rows.
    status, body = request("/api/hunt", {})
    hunt = json.loads(body)
    titles = [alert["title"] for alert in hunt["alerts"]]
    check(any("TacticalRMM" in title for title in titles), f"hunt alerts: {titles}")
    alert = hunt["alerts"][0] if hunt["alerts"] else {}
    check(any(e["type"] == "Host" for e in alert.get("entities", [])) and alert.get("rows"),
          f"alert entities/rows: {json.dumps(alert)[:300]}")
    check(hunt["rules_run"] > 0 and hunt["now"].startswith("2026-11-20"), f"hunt summary: {body[:300]}")

    # Cancel: a slow query (a self-join of every row with every row) is cancelled from another connection.
    slow = {"query": "DeviceNetworkEvents | extend k = 1 | join kind=inner (DeviceNetworkEvents | extend k = 1) on k "
                     "| join kind=inner (DeviceNetworkEvents | extend k = 1) on k | count", "id": "slow-1"}
    answer = {}
    thread = threading.Thread(target=lambda: answer.update(json.loads(request("/api/query", slow)[1])))
    started = time.monotonic()
    thread.start()
    cancelled = False
    for _ in range(100):
        time.sleep(0.1)
        status, body = request("/api/cancel", {"id": "other"})
        check(json.loads(body)["cancelled"] is False, "cancel with another id cancelled the query")
        status, body = request("/api/cancel", {"id": "slow-1"})
        if json.loads(body)["cancelled"]:
            cancelled = True
            break
    thread.join(120)
    check(cancelled and answer.get("cancelled") is True and answer.get("error") == "query cancelled",
          f"cancel: {cancelled} {answer}")
    check(time.monotonic() - started < 60, "the cancelled query took too long to stop")
    status, body = request("/api/cancel", {})
    check(json.loads(body)["cancelled"] is False, "cancel with nothing running")

    # Guards: another Host name (DNS rebinding) and a non-JSON post (a cross-site form) are refused.
    status, body = request("/api/schema", headers={"Host": "attacker.example:%d" % port})
    check(status == 403, f"foreign Host: {status}")
    status, body = request("/api/query", headers={"Content-Type": "application/x-www-form-urlencoded"},
                           method="POST")
    check(status == 415, f"form post: {status}")

    # The UI's own files are embedded in the binary.
    status, body = request("/")
    check(status == 200 and "<title>kqlite</title>" in body and "/ui/app.js" in body, f"index: {status}")
    status, body = request("/ui/app.js")
    check(status == 200 and "/api/query" in body, f"app.js: {status}")
finally:
    server.send_signal(signal.SIGINT)
    try:
        code = server.wait(10)
        check(code == 0, f"serve exited {code} on Ctrl-C")
    except subprocess.TimeoutExpired:
        server.kill()
        failures.append("serve did not stop on Ctrl-C")

for failure in failures:
    print("FAIL:", failure)
if failures:
    sys.exit(1)
print("web_api: ok")
