"""kqlite.query: KQL types mapped to pandas, data paths, DataFrames as tables, now=, KqlError; kqlite.query_all:
every table of a fork/facet query."""
import datetime
import json
import os
import tempfile
import unittest
import warnings

import numpy as np
import pandas as pd

import kqlite

NOW = "2024-10-09T16:00:00Z"
EVENTS = [
    {"Timestamp": "2024-10-09T14:02:11.5Z", "DeviceName": "ws-017.corp.example", "FileName": "powershell.exe",
     "ProcessCommandLine": "powershell -enc SQBFAFgA", "ProcessId": 4412, "AdditionalFields": {"elevated": True}},
    {"Timestamp": "2024-10-09T14:05:00Z", "DeviceName": "ws-017.corp.example", "FileName": "cmd.exe",
     "ProcessCommandLine": "cmd /c whoami", "ProcessId": 5120},
    {"Timestamp": "2024-10-09T15:45:09.1234567Z", "DeviceName": "SRV-DC01", "FileName": "rundll32.exe",
     "ProcessCommandLine": "rundll32.exe C:\\Users\\Public\\a.dll,Start", "ProcessId": 880},
]


class TypeMapping(unittest.TestCase):
    def test_every_kql_type(self):
        df = kqlite.query("""
            datatable(when:datetime, took:timespan, bag:dynamic, n:long, flag:bool, ratio:real, name:string,
                      id:guid, small:int)
            [datetime(2024-10-09T14:02:11.5Z), 1h, dynamic({"a":[1,2],"b":"x"}), 5, true, 0.5, "ws-017", guid(6e3b1a52-0c4d-4c39-9d2b-0f7a3f1e2d4c), 1,
             datetime(null), timespan(null), dynamic(null), long(null), bool(null), real(null), "", guid(null), 2]
        """)
        dtypes = {name: str(dtype) for name, dtype in df.dtypes.items()}
        self.assertEqual(dtypes, {"when": "datetime64[ns, UTC]", "took": "timedelta64[ns]", "bag": "object",
                                  "n": "Int64", "flag": "boolean", "ratio": "float64", "name": "object",
                                  "id": "object", "small": "int32"})
        self.assertEqual(df["when"][0], pd.Timestamp("2024-10-09T14:02:11.5Z"))
        self.assertTrue(pd.isna(df["when"][1]))
        self.assertEqual(df["took"][0], pd.Timedelta(hours=1))
        self.assertTrue(pd.isna(df["took"][1]))
        self.assertEqual(df["bag"][0], {"a": [1, 2], "b": "x"})
        self.assertIsNone(df["bag"][1])
        self.assertEqual(df["n"][0], 5)
        self.assertIs(df["n"][1], pd.NA)
        self.assertEqual(bool(df["flag"][0]), True)
        self.assertIs(df["flag"][1], pd.NA)
        self.assertEqual(df["ratio"][0], 0.5)
        self.assertTrue(np.isnan(df["ratio"][1]))
        self.assertEqual(list(df["name"]), ["ws-017", ""])
        self.assertEqual(df["id"][0], "6e3b1a52-0c4d-4c39-9d2b-0f7a3f1e2d4c")
        self.assertEqual(df.attrs["kql_types"]["took"], "timespan")

    def test_columns_without_nulls_keep_plain_dtypes(self):
        df = kqlite.query("range i from 1 to 3 step 1 | extend even = i % 2 == 0, half = i / 2.0")
        self.assertEqual([str(t) for t in df.dtypes], ["int64", "bool", "float64"])
        self.assertEqual(df["i"].tolist(), [1, 2, 3])
        self.assertEqual(df["even"].tolist(), [False, True, False])

    def test_dynamic_values_are_python_objects(self):
        df = kqlite.query('print a = dynamic([1, "two", {"three": 3.5}]), b = pack("k", true), c = dynamic(7)')
        self.assertEqual(df["a"][0], [1, "two", {"three": 3.5}])
        self.assertEqual(df["b"][0], {"k": True})
        self.assertEqual(df["c"][0], 7)

    def test_empty_result_keeps_columns(self):
        df = kqlite.query("datatable(a:long, b:string)[] | where a > 0")
        self.assertEqual(list(df.columns), ["a", "b"])
        self.assertEqual(len(df), 0)


class DataAndTables(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        with open(os.path.join(self.folder.name, "DeviceProcessEvents.jsonl"), "w") as out:
            for event in EVENTS:
                out.write(json.dumps(event) + "\n")
        self.owners_csv = os.path.join(self.folder.name, "owners.csv")
        with open(self.owners_csv, "w") as out:
            out.write("Host,Owner\nws-017.corp.example,alice\nSRV-DC01,domain admins\n")

    def tearDown(self):
        self.folder.cleanup()

    def test_data_folder_and_now(self):
        df = kqlite.query("DeviceProcessEvents | where Timestamp > ago(1h) | project DeviceName, Timestamp",
                          data=self.folder.name, now=NOW)
        self.assertEqual(df["DeviceName"].tolist(), ["SRV-DC01"])
        self.assertEqual(df["Timestamp"][0], pd.Timestamp("2024-10-09T15:45:09.1234567Z"))
        # now= also takes a datetime (naive means UTC).
        df = kqlite.query("print t = now()", now=datetime.datetime(2024, 10, 9, 16, 0, 0))
        self.assertEqual(df["t"][0], pd.Timestamp(NOW))
        # "latest": the newest event in the data.
        df = kqlite.query("print t = now()", data=self.folder.name, now="latest")
        self.assertEqual(df["t"][0], pd.Timestamp("2024-10-09T15:45:09.1234567Z"))

    def test_table_paths_and_data_frames(self):
        hosts = pd.DataFrame({
            "Host": ["ws-017.corp.example", "SRV-DC01", "ws-099.corp.example"],
            "Tier": pd.array([2, 0, None], dtype="Int64"),
            "Patched": pd.to_datetime(["2024-10-01T02:00:00Z", None, "2024-09-15T03:30:00Z"], utc=True),
            "Uptime": pd.to_timedelta(["3 days 04:00:00", "40 days", None]),
            "Score": [0.25, float("nan"), 1.5],
            "Isolated": [False, True, False],
            "Tags": [["vip", "finance"], {"site": "dc-1"}, None],
        })
        df = kqlite.query("""
            DeviceProcessEvents
            | summarize Processes = count() by DeviceName
            | join kind=inner (Hosts) on $left.DeviceName == $right.Host
            | join kind=inner (Owners) on Host
            | project DeviceName, Processes, Owner, Tier, Patched, Uptime, Score, Isolated, Tags
            | order by DeviceName asc
        """, data=self.folder.name, tables={"Hosts": hosts, "Owners": self.owners_csv}, now=NOW)
        self.assertEqual(df["DeviceName"].tolist(), ["SRV-DC01", "ws-017.corp.example"])
        self.assertEqual(df["Processes"].tolist(), [1, 2])
        self.assertEqual(df["Owner"].tolist(), ["domain admins", "alice"])
        self.assertEqual(df["Tier"].tolist(), [0, 2])
        self.assertTrue(pd.isna(df["Patched"][0]))
        self.assertEqual(df["Patched"][1], pd.Timestamp("2024-10-01T02:00:00Z"))
        self.assertEqual(df["Uptime"].tolist(), [pd.Timedelta(days=40), pd.Timedelta(days=3, hours=4)])
        self.assertTrue(np.isnan(df["Score"][0]))  # NaN went in as a null
        self.assertEqual(df["Score"][1], 0.25)
        self.assertEqual(df["Isolated"].tolist(), [True, False])
        self.assertEqual(df["Tags"].tolist(), [{"site": "dc-1"}, ["vip", "finance"]])

    def test_data_frame_types_bind(self):
        frame = pd.DataFrame({"s": ["a", None], "n": [1, 2], "when": pd.to_datetime(["2024-01-01", "2024-01-02"])})
        df = kqlite.query("T | getschema | project ColumnName, ColumnType", tables={"T": frame})
        self.assertEqual(dict(zip(df["ColumnName"], df["ColumnType"])),
                         {"s": "string", "n": "long", "when": "datetime"})
        df = kqlite.query("T | where isempty(s) | project when", tables={"T": frame})
        self.assertEqual(df["when"][0], pd.Timestamp("2024-01-02T00:00:00Z"))


class SeveralTables(unittest.TestCase):
    """fork and facet return several tables: query_all() gives each as a DataFrame; query() the first."""

    def setUp(self):
        self.events = pd.DataFrame({
            "DeviceName": ["ws-017.corp.example", "ws-017.corp.example", "SRV-DC01"],
            "FileName": ["powershell.exe", "cmd.exe", "powershell.exe"],
            "Started": pd.to_datetime(["2024-10-09T14:02:11.5Z", "2024-10-09T14:05:00Z", "2024-10-09T15:45:09Z"],
                                      utc=True),
        })

    def test_fork_gives_one_frame_per_table(self):
        frames = kqlite.query_all("""
            Events
            | fork Hosts = (summarize n = count() by DeviceName | order by DeviceName asc)
                   (where FileName == "powershell.exe" | project Started | order by Started asc)
        """, tables={"Events": self.events})
        self.assertEqual([frame.attrs["kql_table_name"] for frame in frames], ["Hosts", "Table_1"])
        self.assertEqual(frames[0]["DeviceName"].tolist(), ["SRV-DC01", "ws-017.corp.example"])
        self.assertEqual(frames[0]["n"].tolist(), [1, 2])
        self.assertEqual(frames[0].attrs["kql_types"], {"DeviceName": "string", "n": "long"})
        self.assertEqual(str(frames[1]["Started"].dtype), "datetime64[ns, UTC]")
        self.assertEqual(frames[1]["Started"].tolist(),
                         [pd.Timestamp("2024-10-09T14:02:11.5Z"), pd.Timestamp("2024-10-09T15:45:09Z")])

    def test_facet_tables_in_order(self):
        frames = kqlite.query_all("Events | facet by FileName with (where DeviceName == 'SRV-DC01' | project FileName)",
                                  tables={"Events": self.events})
        self.assertEqual([frame.attrs["kql_table_name"] for frame in frames], ["Table_0", "FileName"])
        self.assertEqual(frames[0]["FileName"].tolist(), ["powershell.exe"])
        self.assertEqual(dict(zip(frames[1]["FileName"], frames[1]["count_FileName"])),
                         {"powershell.exe": 2, "cmd.exe": 1})

    def test_one_table_query_gives_one_frame(self):
        frames = kqlite.query_all("print x = 1")
        self.assertEqual(len(frames), 1)
        self.assertEqual(frames[0]["x"].tolist(), [1])
        self.assertEqual(frames[0].attrs["kql_table_name"], "")

    def test_query_keeps_the_first_table_and_warns(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            df = kqlite.query("Events | fork (count) (take 1)", tables={"Events": self.events})
        self.assertEqual(df["Count"].tolist(), [3])
        self.assertTrue(any("query_all" in str(warning.message) for warning in caught),
                        [str(warning.message) for warning in caught])


class Errors(unittest.TestCase):
    def test_syntax_error_raises_with_the_diagnostic(self):
        with self.assertRaises(kqlite.KqlError) as caught:
            kqlite.query("print x = 1 |")
        self.assertIn("KQL", str(caught.exception))
        self.assertIn("^", str(caught.exception))

    def test_unknown_column_names_it(self):
        with self.assertRaises(kqlite.KqlError) as caught:
            kqlite.query("datatable(a:long)[1] | project NoSuchColumn")
        self.assertIn("NoSuchColumn", str(caught.exception))

    def test_missing_data_path(self):
        with self.assertRaises(kqlite.KqlError):
            kqlite.query("print 1", data="/nonexistent/kqlite-python-test")

    def test_bad_now(self):
        with self.assertRaises(kqlite.KqlError):
            kqlite.query("print now()", now="yesterday-ish")

    def test_error_is_an_exception(self):
        self.assertTrue(issubclass(kqlite.KqlError, Exception))


if __name__ == "__main__":
    unittest.main()
