"""kqlite from Python: run KQL (Kusto Query Language) and Sentinel hunts over local data into pandas DataFrames.

    import kqlite
    df = kqlite.query("DeviceProcessEvents | summarize n = count() by DeviceName",
                      data="exports/", now="2024-10-09T16:00:00Z")
    df = kqlite.query("Owners | join kind=inner (Hosts) on Host", tables={"Owners": owners_df, "Hosts": "hosts.csv"})
    alerts = kqlite.hunt(rules="rules/", data="exports/", now="latest")
    hosts, counts = kqlite.query_all("T | fork (summarize by Host) (count)", tables={"T": "events.jsonl"})

KQL types map to pandas as: datetime -> datetime64[ns, UTC], timespan -> timedelta64[ns], dynamic -> Python objects
(dict, list, str, int, float, bool, None), long/int -> int64/int32 (nullable Int64/Int32 when a value is null),
bool -> bool (nullable boolean when a value is null), real/decimal -> float64 (null -> NaN), string/guid -> object
(str). A query that does not parse or bind, fails while running, or whose data does not load raises KqlError with
the diagnostic text. See docs/python.md.
"""

import datetime as _datetime
import json as _json
import os as _os

import numpy as _np
import pandas as _pd

from . import _kqlite

__all__ = ["query", "query_all", "hunt", "KqlError"]

KqlError = _kqlite.KqlError

# KQL ticks are 100 ns; pandas counts nanoseconds.
_NS_PER_TICK = 100


def _paths(value):
    """None, one path, or an iterable of paths -> a list of strings."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, _os.PathLike)):
        return [_os.fsdecode(value)]
    return [_os.fsdecode(path) for path in value]


def _now_text(now):
    """now=None (the clock), a str, a datetime or a pandas Timestamp -> the engine's datetime text."""
    if now is None:
        return None
    if isinstance(now, str):
        return now
    stamp = _pd.Timestamp(now)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json_default(value):
    if isinstance(value, (_np.integer,)):
        return int(value)
    if isinstance(value, (_np.floating,)):
        return float(value)
    if isinstance(value, _np.ndarray):
        return value.tolist()
    if isinstance(value, (_pd.Timestamp, _datetime.datetime, _datetime.date)):
        return value.isoformat()
    return str(value)


def _frame_column(name, series):
    """One DataFrame column -> (name, KQL type, values, validity or None) for the engine."""
    dtype = series.dtype
    mask = series.isna().to_numpy(dtype=bool)
    valid = None if not mask.any() else ~mask
    if isinstance(dtype, _pd.DatetimeTZDtype) or _pd.api.types.is_datetime64_dtype(dtype):
        values = series.dt.tz_localize("UTC") if getattr(series.dt, "tz", None) is None else series
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        ns = values.to_numpy(dtype="datetime64[ns]").view(_np.int64)
        return (name, "datetime", _np.where(mask, 0, ns // _NS_PER_TICK), valid)
    if _pd.api.types.is_timedelta64_dtype(dtype):
        ns = series.to_numpy(dtype="timedelta64[ns]").view(_np.int64)
        return (name, "timespan", _np.where(mask, 0, ns // _NS_PER_TICK), valid)
    if _pd.api.types.is_bool_dtype(dtype):
        return (name, "bool", series.fillna(False).to_numpy(dtype=_np.int64), valid)
    if _pd.api.types.is_integer_dtype(dtype):
        return (name, "long", series.fillna(0).to_numpy(dtype=_np.int64), valid)
    if _pd.api.types.is_float_dtype(dtype):
        # NaN is pandas' missing value: it becomes a KQL null.
        return (name, "real", series.fillna(0.0).to_numpy(dtype=_np.float64), valid)
    items = series.tolist()
    present = [item for item, missing in zip(items, mask) if not missing]
    if all(isinstance(item, str) for item in present):
        # KQL strings are never null: a missing string is "".
        return (name, "string", ["" if missing else item for item, missing in zip(items, mask)], None)
    texts = [None if missing else _json.dumps(item, default=_json_default) for item, missing in zip(items, mask)]
    return (name, "dynamic", texts, None)


def _split_tables(tables):
    """tables={name: path or DataFrame} -> ([(name, path)], [(name, columns)])."""
    paths, frames = [], []
    for name, source in (tables or {}).items():
        if isinstance(source, _pd.DataFrame):
            columns = [_frame_column(str(column), source[column]) for column in source.columns]
            frames.append((str(name), columns))
        else:
            for path in _paths(source):
                paths.append((str(name), path))
    return paths, frames


def _to_series(kql_type, values, valid):
    """One engine result column -> a pandas Series of the mapped dtype."""
    has_nulls = not bool(valid.all())
    if kql_type == "datetime":
        ns = _np.where(valid, values * _NS_PER_TICK, _np.iinfo(_np.int64).min)  # int64 min is NaT
        return _pd.Series(ns.view("datetime64[ns]")).dt.tz_localize("UTC")
    if kql_type == "timespan":
        ns = _np.where(valid, values * _NS_PER_TICK, _np.iinfo(_np.int64).min)
        return _pd.Series(ns.view("timedelta64[ns]"))
    if kql_type in ("long", "int"):
        dtype = _np.int64 if kql_type == "long" else _np.int32
        if has_nulls:
            return _pd.Series(_pd.arrays.IntegerArray(values.astype(dtype), ~valid))
        return _pd.Series(values.astype(dtype))
    if kql_type == "bool":
        if has_nulls:
            return _pd.Series(_pd.arrays.BooleanArray(values.astype(bool), ~valid))
        return _pd.Series(values.astype(bool))
    if kql_type == "real":
        return _pd.Series(_np.where(valid, values, _np.nan))
    if kql_type == "dynamic":
        return _pd.Series([None if text is None else _json.loads(text) for text in values], dtype=object)
    return _pd.Series(values, dtype=object)


def _warn(messages, stacklevel=3):
    if messages:
        import warnings

        for message in messages:
            warnings.warn(message, RuntimeWarning, stacklevel=stacklevel)


def _to_frame(name, columns):
    """One engine result table -> a DataFrame; attrs["kql_types"] maps columns to KQL types, attrs["kql_table_name"]
    is the table's name ("" unless a fork/facet query named it)."""
    result = _pd.DataFrame({column: _to_series(kql_type, values, valid)
                            for column, kql_type, values, valid in columns}) if columns else _pd.DataFrame()
    result.attrs["kql_types"] = {column: kql_type for column, kql_type, _, _ in columns}
    result.attrs["kql_table_name"] = name
    return result


def _run_query(text, data, tables, now, threads):
    """The query's result tables as (name, columns) pairs, after issuing its warnings."""
    table_paths, frames = _split_tables(tables)
    now_text = now if now == "latest" else _now_text(now)
    results, warnings = _kqlite.run_query(text, _paths(data), table_paths, frames, now_text, int(threads))
    _warn(warnings, stacklevel=4)
    return results


def query(text, data=None, tables=None, now=None, threads=0):
    """Runs a KQL query and returns its result as a pandas DataFrame.

    text: the KQL query. data: a data file or folder, or a list of them (JSON lines, JSON documents and API
    responses, CSV, TSV; .gz/.zst), whose tables come from the file names or contents as with `kqlite query
    --data`. tables: {name: path or DataFrame}, each registered as that table. now: pins now()/ago() (a str such as
    "2024-10-09T16:00:00Z", a datetime or a pandas Timestamp; naive means UTC; "latest": the newest event in the
    data); None uses the clock.
    A query that returns several tables (fork, facet) gives its first table here, with a RuntimeWarning: use
    query_all() for every table.
    Raises KqlError with the diagnostic text when the query fails or the data does not load.
    """
    results = _run_query(text, data, tables, now, threads)
    if len(results) > 1:
        _warn(["the query returns %d tables (fork/facet): query() gives the first; kqlite.query_all() gives each"
               % len(results)])
    return _to_frame(*results[0])


def query_all(text, data=None, tables=None, now=None, threads=0):
    """Runs a KQL query and returns every table of its result as a list of pandas DataFrames, in order.

    A fork or facet query returns several tables; any other query one (a list of one DataFrame). Each DataFrame's
    attrs["kql_table_name"] is its table's name (fork's `name = (...)` or Table_N, facet's column names; "" for the
    one table of other queries) and attrs["kql_types"] its columns' KQL types. The arguments and errors are those of
    query().
    """
    return [_to_frame(name, columns) for name, columns in _run_query(text, data, tables, now, threads)]


_ALERT_TIMES = ("startTime", "endTime")


def hunt(rules=None, data=None, tables=None, now=None, threads=0):
    """Runs Sentinel rules over data and returns the alerts as a pandas DataFrame, one row per alert.

    rules: rule files or folders (YAML, or ARM JSON exports); None runs the built-in pack. data, tables: as for
    query(). now: as for query(), or "latest" to anchor each rule's window at the newest event.
    The columns are those of `kqlite hunt --format jsonl`: ruleId, ruleName, title, severity, tactics, techniques,
    startTime, endTime (datetime64[ns, UTC]), alertId, eventCount, entities, customDetails, ruleKind, row, rows.
    Problems in the rules (load errors, diagnostics) are reported as RuntimeWarning.
    """
    table_paths, frames = _split_tables(tables)
    now_text = now if now == "latest" else _now_text(now)
    jsonl, problems = _kqlite.run_hunt(_paths(rules), _paths(data), table_paths, frames, now_text, int(threads))
    _warn(problems)
    records = [_json.loads(line) for line in jsonl.splitlines() if line.strip()]
    columns = ["ruleId", "ruleName", "title", "severity", "tactics", "techniques", "startTime", "endTime",
               "alertId", "eventCount", "entities", "customDetails", "ruleKind", "row", "rows"]
    frame = _pd.DataFrame.from_records(records)
    for column in columns:
        if column not in frame.columns:
            frame[column] = _pd.Series(dtype=object)
    for column in _ALERT_TIMES:
        frame[column] = _pd.to_datetime(frame[column], utc=True)
    if "eventCount" in frame.columns and len(frame):
        frame["eventCount"] = frame["eventCount"].astype(_np.int64)
    return frame
