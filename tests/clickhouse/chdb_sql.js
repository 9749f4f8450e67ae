// Runs SQL files on a current ClickHouse in-process (npm chdb) over a copy of a table exported from the 18.16
// test cluster, writing each result next to its file (<file>.chdb). Also checks the DateTime64(7) read
// expression kqlite uses on servers >= 20.1 against the Int64 ticks.
// Usage: node chdb_sql.js CHDB_MODULE SESSION_DIR DATABASE TABLE STRUCTURE DATA.tsv SQL_FILE...
const fs = require("fs");
const [chdbModule, sessionDir, database, table, structure, dataPath, ...sqlFiles] = process.argv.slice(2);
const { Session } = require(chdbModule);
const session = new Session(sessionDir);
const run = (sql, format = "TabSeparated") => session.query(sql, format);
console.log("chdb ClickHouse version " + run("SELECT version()").trim());
run(`CREATE DATABASE IF NOT EXISTS ${database}`);
run(`DROP TABLE IF EXISTS ${database}.${table}`);
run(`CREATE TABLE ${database}.${table} ENGINE = MergeTree ORDER BY tuple() AS
     SELECT * FROM file('${dataPath}', 'TabSeparated', '${structure}')`);
console.log("rows: " + run(`SELECT count() FROM ${database}.${table}`).trim());
run(`USE ${database}`);
for (const file of sqlFiles) {
  const sql = fs.readFileSync(file, "utf8").replace(/\nFORMAT TabSeparated\s*$/, "");
  fs.writeFileSync(file + ".chdb", run(sql));
}
// Datetimes as DateTime64(7, 'UTC'): the read expression must give back the exact ticks.
const mismatches = run(`SELECT countIf(intDiv(toUnixTimestamp64Nano(t64), 100) != Timestamp) FROM (
    SELECT Timestamp, fromUnixTimestamp64Nano(Timestamp * 100, 'UTC')::DateTime64(7, 'UTC') AS t64 FROM ${table})`).trim();
console.log("DateTime64(7) tick mismatches: " + mismatches);
if (mismatches !== "0") process.exit(1);
session.cleanup && session.cleanup();
