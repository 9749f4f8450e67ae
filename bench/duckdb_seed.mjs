// Runs a benchmark query's DuckDB equivalent (npm @duckdb/node-api) over the same JSON-lines file as kqlite and
// prints the in-engine seconds and the result row count as JSON. Usage: node duckdb_seed.mjs FILE NOW_ISO THREADS
// [QUERY] where QUERY is seed (default), port or microsoft (see bench/e2e_seed.sh for the KQL side).
// KQL `has` (whole-term, case-insensitive) is expressed as a regular expression with non-alphanumeric boundaries.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, now, threads, query = 'seed'] = process.argv.slice(2);
const has = (column, term) => `regexp_matches(${column}, '(?i)(^|[^a-z0-9])${term}($|[^a-z0-9])')`;
const queries = {
  seed: `
SELECT DeviceId, DeviceName, RemoteUrl, min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen,
       list(DISTINCT ReportId) AS Report, count(*) AS Count
FROM read_ndjson('${file}', columns = {Timestamp: 'TIMESTAMP', DeviceId: 'VARCHAR', DeviceName: 'VARCHAR',
     RemoteUrl: 'VARCHAR', InitiatingProcessVersionInfoCompanyName: 'VARCHAR', ReportId: 'BIGINT'})
WHERE Timestamp BETWEEN TIMESTAMP '${now}' - INTERVAL 5 DAY AND TIMESTAMP '${now}'
  AND ${has('RemoteUrl', 'tacticalrmm\\.io')}
  AND (${has('InitiatingProcessVersionInfoCompanyName', 'amidaware')}
    OR ${has('InitiatingProcessVersionInfoCompanyName', 'tactical techs')})
GROUP BY DeviceId, DeviceName, RemoteUrl`,
  port: `
SELECT RemotePort, count(*) AS count_
FROM read_ndjson('${file}', columns = {RemotePort: 'BIGINT'})
GROUP BY RemotePort`,
  microsoft: `
SELECT count(DISTINCT DeviceId) AS dcount_DeviceId
FROM read_ndjson('${file}', columns = {RemoteUrl: 'VARCHAR', DeviceId: 'VARCHAR'})
WHERE ${has('RemoteUrl', 'microsoft')}`,
};
if (!queries[query]) throw new Error(`unknown query ${query}`);
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads || 1) });
const connection = await instance.connect();
const start = process.hrtime.bigint();
const reader = await connection.runAndReadAll(queries[query]);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ seconds, groups: reader.getRows().length }));
