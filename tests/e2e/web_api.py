#!/usr/bin/env python3
"""`kqlite serve`'s JSON API without a browser: /api/schema, /api/catalog (built-in, loaded and declared tables,
stored functions), /api/query (rows, diagnostics, chart), /api/hunt, /api/cancel (a long query and a long hunt are
cancelled from a second connection), the Host and Content-Type guards, the UI's embedded files, and Ctrl-C stopping
the server with exit 0.
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


workspace = source_dir / "tests" / "data" / "functions" / "workspace.kql"
server = subprocess.Popen([kqlite, "serve", "--data", str(data), "--port", "0", "--max-rows", "50",
                           "--schema", str(workspace), "--functions", str(workspace)],
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

    # The catalog for the editor: every built-in table (loaded or not), the declared custom table and the functions.
    status, body = request("/api/catalog")
    catalog = json.loads(body)
    every = {table["name"]: table for table in catalog["tables"]}
    check(status == 200 and len(every) > 800, f"catalog: {status}, {len(every)} tables")
    check(every.get("DeviceNetworkEvents", {}).get("loaded") is True, "catalog: DeviceNetworkEvents is loaded")
    signin = every.get("SigninLogs", {})
    upn = {"name": "UserPrincipalName", "type": "string"}
    check(signin.get("loaded") is False and upn in signin.get("columns", []),
          f"catalog: the built-in SigninLogs: {json.dumps(signin)[:200]}")
    firewall = {c["name"]: c["type"] for c in every.get("FirewallLogs_CL", {}).get("columns", [])}
    check(firewall.get("DstPort_d") == "real", f"catalog: the --schema table FirewallLogs_CL: {firewall}")
    functions = {f["name"]: f for f in catalog["functions"]}
    check(sorted(functions) == ["DeniedFlows", "DeniedSources"], f"catalog functions: {sorted(functions)}")
    denied = functions.get("DeniedFlows", {})
    check(denied.get("parameters") == "(port:real = real(null))" and "FirewallLogs_CL" in denied.get("body", ""),
          f"DeniedFlows: {denied}")

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

    # fork / facet: the first table as above with its name, the others in "more_tables", each cut at --max-rows.
    status, body = request("/api/query", {"query": "DeviceNetworkEvents | fork Urls = (where RemoteUrl has 'tacticalrmm' "
                                                   "| summarize n = count() by RemoteUrl | order by RemoteUrl asc) "
                                                   "(count) (project Timestamp)"})
    result = json.loads(body)
    check(result["ok"] and result.get("table_name") == "Urls" and
          result["columns"] == [{"name": "RemoteUrl", "type": "string"}, {"name": "n", "type": "long"}],
          f"fork: the first table: {body[:300]}")
    more = result.get("more_tables") or []
    check([table.get("name") for table in more] == ["Table_1", "Table_2"], f"fork: more_tables: {body[:300]}")
    if len(more) == 2:
        check(result["rows"] == [["api.tacticalrmm.io", 10], ["mesh.tacticalrmm.io", 3],
                                 ["tacticalrmm.io.example.net", 1]], f"fork: the first table's rows: {result['rows']}")
        check(more[0]["columns"] == [{"name": "Count", "type": "long"}] and more[0]["rows"] == [[1515]] and
              more[0]["row_count"] == 1 and more[0]["truncated"] is False, f"fork: the count table: {more[0]}")
        check(more[1]["columns"] == [{"name": "Timestamp", "type": "datetime"}] and more[1]["row_count"] == 1515 and
              len(more[1]["rows"]) == 50 and more[1]["truncated"],
              f"fork: the third table: {more[1]['row_count']} rows, {len(more[1]['rows'])} sent")
    status, body = request("/api/query", {"query": "print a = 1"})
    result = json.loads(body)
    check(result.get("table_name") == "" and result.get("more_tables") == [], f"one table: {body[:300]}")

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
    check(hunt["ok"] and hunt["rules_run"] > 0 and hunt["now"].startswith("2026-11-20"), f"hunt summary: {body[:300]}")

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

    # A hunt waiting behind a slow query is cancelled before it starts, by its id; the next hunt runs in full.
    answers = {}

    def post(name, path, body):
        answers[name] = json.loads(request(path, body)[1])

    def wait_for_status(predicate, what):
        for _ in range(300):
            status_now = json.loads(request("/api/status")[1])
            if predicate(status_now):
                return True
            time.sleep(0.05)
        failures.append(f"the server never showed {what}: {status_now}")
        return False

    query_thread = threading.Thread(target=post, args=("query", "/api/query", dict(slow, id="slow-2")))
    query_thread.start()
    wait_for_status(lambda s: s["running"] == "slow-2", "the slow query running")
    hunt_thread = threading.Thread(target=post, args=("hunt", "/api/hunt", {"id": "hunt-7"}))
    hunt_thread.start()
    wait_for_status(lambda s: s["waiting"] == ["hunt-7"], "the hunt waiting")
    status, body = request("/api/cancel", {"id": "hunt-7"})
    check(json.loads(body)["cancelled"] is True, f"cancel of the waiting hunt: {body}")
    status, body = request("/api/cancel", {"id": "slow-2"})
    check(json.loads(body)["cancelled"] is True, f"cancel of the slow query: {body}")
    query_thread.join(120)
    hunt_thread.join(120)
    check(answers.get("query", {}).get("cancelled") is True, f"the slow query: {answers.get('query')}")
    hunt = answers.get("hunt", {})
    check(hunt.get("ok") is False and hunt.get("cancelled") is True and "hunt cancelled" in hunt.get("error", ""),
          f"the cancelled hunt: {json.dumps(hunt)[:300]}")
    status, body = request("/api/hunt", {"id": "hunt-7"})
    hunt = json.loads(body)
    check(hunt.get("ok") is True and len(hunt.get("alerts", [])) == len(titles), f"the hunt after: {body[:300]}")
    check(json.loads(request("/api/status")[1])["running"] is None, "nothing runs at the end")

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
