#!/usr/bin/env python3
"""The built-in pack is quiet on generic process names (issue 7): every name that scripts/gen_rmm_pack.py holds too
generic to identify a tool alone (agent.exe, client32.exe, rdp.exe, ...) runs from a line-of-business folder, signed by
a company of no remote-access vendor, and talks to an intranet host: no rule may alert. A control event (client32.exe
signed by NetSupport) must alert, so the events are shaped as the rules read them.
(Windows' own binaries: BuiltinPackTest.WindowsOwnBinariesRaiseNoAlert.)
Usage: pack_generic_names.py KQLITE_BINARY SOURCE_DIR"""
import json
import os
import subprocess
import sys
import tempfile

KQLITE, SOURCE_DIR = sys.argv[1], sys.argv[2]
sys.dont_write_bytecode = True  # No __pycache__ in the source tree.
sys.path.insert(0, os.path.join(SOURCE_DIR, "scripts"))
import gen_rmm_pack  # noqa: E402  (the generator's own lists, so the test follows them)

NOW = "2024-10-09T15:00:00Z"
EVENT_TIME = "2024-10-09T13:00:00Z"


def process_event(name, folder, company, report_id):
  path = folder + "\\" + name
  return {"Timestamp": EVENT_TIME, "DeviceId": "dev-ws1", "DeviceName": "ws1.corp.example", "ActionType":
          "ProcessCreated", "FileName": name, "FolderPath": path, "ProcessCommandLine": '"' + path + '"',
          "ProcessVersionInfoCompanyName": company, "ProcessVersionInfoOriginalFileName": name,
          "InitiatingProcessFileName": "explorer.exe", "AccountName": "alice", "ReportId": report_id}


def network_event(name, folder, company, report_id):
  return {"Timestamp": EVENT_TIME, "DeviceId": "dev-ws1", "DeviceName": "ws1.corp.example", "ActionType":
          "ConnectionSuccess", "RemoteUrl": "intranet.corp.example", "RemoteIP": "10.1.2.3", "RemotePort": 443,
          "InitiatingProcessFileName": name, "InitiatingProcessFolderPath": folder + "\\" + name,
          "InitiatingProcessVersionInfoCompanyName": company, "ReportId": report_id}


def hunt(folder):
  run = subprocess.run([KQLITE, "hunt", "--data", folder, "--now", NOW, "--format", "jsonl"], capture_output=True,
                       text=True)
  alerts = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
  return run.returncode, alerts, run.stderr


def main():
  names = sorted(gen_rmm_pack.GENERIC_PROCESS_NAMES | gen_rmm_pack.GENERIC_NAMES_NEEDING_FOLDER)
  if len(names) < 50:
    print("FAIL: only %d generic names in scripts/gen_rmm_pack.py" % len(names))
    return 1
  folder = "C:\\Program Files\\Contoso Line Of Business"
  with tempfile.TemporaryDirectory() as work:
    benign = os.path.join(work, "benign")
    os.makedirs(benign)
    with open(os.path.join(benign, "DeviceProcessEvents.jsonl"), "w") as processes, \
         open(os.path.join(benign, "DeviceNetworkEvents.jsonl"), "w") as network:
      for index, name in enumerate(names):
        processes.write(json.dumps(process_event(name, folder, "Contoso Ltd", 2 * index)) + "\n")
        network.write(json.dumps(network_event(name, folder, "Contoso Ltd", 2 * index + 1)) + "\n")
    code, alerts, stderr = hunt(benign)
    if code != 0:
      print("FAIL: hunt over generic names exited %d: %s" % (code, stderr[-2000:]))
      return 1
    if alerts:
      for alert in alerts[:20]:
        print("FAIL: %s alerted: %s" % (alert.get("ruleName"), json.dumps(alert.get("entities"))[:300]))
      return 1
    control = os.path.join(work, "control")
    os.makedirs(control)
    with open(os.path.join(control, "DeviceProcessEvents.jsonl"), "w") as processes:
      processes.write(json.dumps(process_event("client32.exe", "C:\\Program Files (x86)\\NetSupport\\NetSupport "
                                               "Manager", "NetSupport Ltd", 1)) + "\n")
    code, alerts, stderr = hunt(control)
    if code != 0 or not alerts:
      print("FAIL: the control event raised no alert (exit %d): %s" % (code, stderr[-2000:]))
      return 1
  print("ok: %d generic names raised no alert; the NetSupport control raised %d" % (len(names), len(alerts)))
  return 0


if __name__ == "__main__":
  sys.exit(main())
