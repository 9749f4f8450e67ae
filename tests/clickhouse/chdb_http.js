// A minimal ClickHouse HTTP interface over chdb (a current ClickHouse in-process, npm), so the tests can point
// `kqlite ... --clickhouse` at today's ClickHouse as at a server. It understands what kqlite sends: the SQL in the
// POST body, or `query=` in the URL with the body as the INSERT's data; `database=` (run after USE); other URL
// parameters (settings) are ignored. A failing query answers 500 with ClickHouse's "Code: N. DB::Exception" text.
// Listens on 127.0.0.1 at a free port, written to PORT_FILE once listening; stops on SIGTERM/SIGINT. With QUERY_LOG,
// appends every statement (without INSERT data) to that file, each followed by a line ";".
// Usage: node chdb_http.js CHDB_MODULE SESSION_DIR PORT_FILE [QUERY_LOG]
const fs = require("fs");
const http = require("http");
const [chdbModule, sessionDir, portFile, queryLog] = process.argv.slice(2);
const { Session } = require(chdbModule);
const session = new Session(sessionDir);

function Answer(request, body) {
  const url = new URL(request.url, "http://localhost");
  const query = url.searchParams.get("query");
  const sql = query === null ? body : query + "\n" + body;
  if (queryLog) fs.appendFileSync(queryLog, (query === null ? body : query) + "\n;\n");
  session.query("USE " + (url.searchParams.get("database") || "default"));
  return session.query(sql, "TabSeparated");
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    try {
      const text = Answer(request, Buffer.concat(chunks).toString("utf8"));
      response.writeHead(200, { "Content-Type": "text/tab-separated-values; charset=UTF-8" });
      response.end(text);
    } catch (error) {
      response.writeHead(500, { "Content-Type": "text/plain; charset=UTF-8" });
      response.end(String(error.message).replace(/^Query failed: /, "") + "\n");
    }
  });
});
server.listen(0, "127.0.0.1", () => fs.writeFileSync(portFile, String(server.address().port)));
const stop = () => {
  server.close();
  if (session.cleanup) session.cleanup();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
