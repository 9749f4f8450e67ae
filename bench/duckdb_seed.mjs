// Runs the seed rule's equivalent SQL in DuckDB (npm @duckdb/node-api) over the same JSON-lines file and prints
// the elapsed seconds and the result group count. Usage: node duckdb_seed.mjs FILE NOW_ISO THREADS
// KQL `has` (whole-term, case-insensitive) is expressed as a regular expression with non-alphanumeric boundaries.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, now, threads] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads || 1) });
const connection = await instance.connect();
const sql = `
SELECT DeviceId, DeviceName, RemoteUrl, min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen,
       list(DISTINCT ReportId) AS Report, count(*) AS Count
FROM read_ndjson('${file}', columns = {Timestamp: 'TIMESTAMP', DeviceId: 'VARCHAR', DeviceName: 'VARCHAR',
     RemoteUrl: 'VARCHAR', InitiatingProcessVersionInfoCompanyName: 'VARCHAR', ReportId: 'BIGINT'})
WHERE Timestamp BETWEEN TIMESTAMP '${now}' - INTERVAL 5 DAY AND TIMESTAMP '${now}'
  AND regexp_matches(RemoteUrl, '(?i)(^|[^a-z0-9])tacticalrmm\\.io($|[^a-z0-9])')
  AND (regexp_matches(InitiatingProcessVersionInfoCompanyName, '(?i)(^|[^a-z0-9])amidaware($|[^a-z0-9])')
    OR regexp_matches(InitiatingProcessVersionInfoCompanyName, '(?i)(^|[^a-z0-9])tactical techs($|[^a-z0-9])'))
GROUP BY DeviceId, DeviceName, RemoteUrl`;
const start = process.hrtime.bigint();
const reader = await connection.runAndReadAll(sql);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ seconds, groups: reader.getRows().length }));
