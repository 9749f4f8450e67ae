"""kqlite.hunt: Sentinel rules (a rule file, and the built-in pack) over data into an alerts DataFrame."""
import json
import os
import tempfile
import unittest

import pandas as pd

import kqlite

RULE = """id: 0b1d3c52-2f7e-4a55-9d43-5a2d8e7c9f10
name: Encoded PowerShell
description: PowerShell started with an encoded command.
severity: High
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics:
  - Execution
relevantTechniques:
  - T1059
query: |
  DeviceProcessEvents
  | where FileName =~ "powershell.exe" and ProcessCommandLine has "-enc"
  | project Timestamp, DeviceName, ProcessCommandLine
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: DeviceName
eventGroupingSettings:
  aggregationKind: AlertPerResult
kind: Scheduled
"""


class Hunt(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        os.mkdir(os.path.join(self.folder.name, "rules"))
        with open(os.path.join(self.folder.name, "rules", "encoded_powershell.yaml"), "w") as out:
            out.write(RULE)
        events = [
            {"Timestamp": "2024-10-09T15:02:11Z", "DeviceName": "ws-017.corp.example", "FileName": "powershell.exe",
             "ProcessCommandLine": "powershell.exe -nop -enc SQBFAFgA"},
            {"Timestamp": "2024-10-09T15:10:00Z", "DeviceName": "ws-017.corp.example", "FileName": "cmd.exe",
             "ProcessCommandLine": "cmd /c whoami"},
            {"Timestamp": "2024-10-09T15:40:00Z", "DeviceName": "SRV-DC01", "FileName": "PowerShell.exe",
             "ProcessCommandLine": "PowerShell -enc JABzAD0A"},
            {"Timestamp": "2024-10-09T09:00:00Z", "DeviceName": "ws-001.corp.example", "FileName": "powershell.exe",
             "ProcessCommandLine": "powershell -enc b2xk"},  # outside the 1h window
        ]
        self.data = os.path.join(self.folder.name, "data")
        os.mkdir(self.data)
        with open(os.path.join(self.data, "DeviceProcessEvents.jsonl"), "w") as out:
            for event in events:
                out.write(json.dumps(event) + "\n")

    def tearDown(self):
        self.folder.cleanup()

    def test_rule_file_alerts(self):
        alerts = kqlite.hunt(rules=os.path.join(self.folder.name, "rules"), data=self.data,
                             now="2024-10-09T16:00:00Z")
        self.assertEqual(len(alerts), 2)
        self.assertEqual(set(alerts["ruleName"]), {"Encoded PowerShell"})
        self.assertEqual(set(alerts["severity"]), {"High"})
        self.assertEqual(str(alerts["startTime"].dtype), "datetime64[ns, UTC]")
        hosts = sorted(entity["HostName"] for entities in alerts["entities"] for entity in entities)
        self.assertEqual(hosts, ["SRV-DC01", "ws-017.corp.example"])
        self.assertEqual(sorted(alerts["startTime"]), [pd.Timestamp("2024-10-09T15:02:11Z"),
                                                        pd.Timestamp("2024-10-09T15:40:00Z")])
        self.assertEqual(alerts["tactics"][0], ["Execution"])

    def test_data_frame_as_table_and_latest(self):
        frame = pd.read_json(os.path.join(self.data, "DeviceProcessEvents.jsonl"), lines=True)
        frame["Timestamp"] = pd.to_datetime(frame["Timestamp"], utc=True)
        alerts = kqlite.hunt(rules=os.path.join(self.folder.name, "rules"),
                             tables={"DeviceProcessEvents": frame}, now="latest")
        self.assertEqual(len(alerts), 2)

    def test_no_alerts_still_has_the_columns(self):
        alerts = kqlite.hunt(rules=os.path.join(self.folder.name, "rules"), data=self.data,
                             now="2025-01-01T00:00:00Z")
        self.assertEqual(len(alerts), 0)
        self.assertIn("ruleName", alerts.columns)
        self.assertIn("entities", alerts.columns)

    def test_builtin_pack_over_demo_data(self):
        demo = os.path.join(os.path.dirname(__file__), "..", "..", "data", "demo")
        alerts = kqlite.hunt(data=demo, now="latest")
        self.assertGreater(len(alerts), 0)
        self.assertTrue(alerts["ruleName"].str.contains("TacticalRMM").any())

    def test_missing_rules_path_raises(self):
        with self.assertRaises(kqlite.KqlError):
            kqlite.hunt(rules="/nonexistent/rules", data=self.data)


if __name__ == "__main__":
    unittest.main()
