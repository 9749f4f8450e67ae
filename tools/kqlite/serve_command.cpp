// `kqlite serve`: the local web UI (docs/web_ui.md). An HTTP server on 127.0.0.1 only: the UI's embedded files,
// the npm assets (Monaco with the Kusto language, Vega) and the JSON API of web_api.h over the loaded data.
#include <httplib.h>

#include <iostream>
#include <thread>

#include "cli_common.h"
#include "kqlite_version.h"
#include "web_api.h"
#include "web_assets.h"

namespace kql::cli {

namespace {

/// Options of `kqlite serve`, alive for the whole program run.
struct ServeArgs {
  std::vector<std::string> data, tables;
  int port = 8470;
  int threads = 0;
  int max_rows = 10000;
  std::string now_text, max_memory, timeout;
  WorkspaceArgs workspace;
};

/// httplib compresses text/*, application/javascript and exactly "application/json" with brotli at its slowest
/// setting (seconds for Monaco's 3.5 MB editor.main.js or a large result on loopback), so scripts and API answers
/// use types it leaves alone: the HTML standard's legacy JavaScript type, and JSON with its charset.
constexpr const char* kJavaScriptType = "application/x-javascript";
constexpr const char* kJsonType = "application/json; charset=utf-8";

std::string ContentType(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return kJavaScriptType;
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

void Reply(httplib::Response& response, const ApiResponse& api) {
  response.status = api.status;
  response.set_header("Cache-Control", "no-store");
  response.set_content(api.body, kJsonType);
}

int RunServe(const ServeArgs& args) {
  WebApiOptions api_options;
  api_options.threads = args.threads;
  api_options.max_rows = static_cast<size_t>(args.max_rows);
  if (!ParseLimits(args.max_memory, args.timeout, api_options.max_memory_bytes, api_options.timeout)) {
    return kExitUsage;
  }
  if (!args.now_text.empty()) {
    api_options.now_ticks = ParseNow(args.now_text);
    if (!api_options.now_ticks) {
      std::cerr << "kqlite: --now: not a datetime: " << args.now_text << "\n";
      return kExitUsage;
    }
  }
  std::optional<WorkspaceDefinitions> workspace = LoadWorkspace(args.workspace);
  if (!workspace) return kExitUsage;
  Engine engine;
  workspace->ApplyTo(engine);
  bool demo = args.data.empty() && args.tables.empty();
  std::vector<std::string> data = args.data;
  if (demo) data.push_back(DemoDataPath());
  if (!RegisterData(engine, data, args.tables) || !RegisterExternalData(engine)) return kExitUsage;
  WebApi api(engine, api_options);

  httplib::Server server;
  int port = args.port;
  // Only this machine's browser: the socket is bound to 127.0.0.1, and a request whose Host is another name (a DNS
  // rebinding page) is refused, as is a cross-site form post (the API takes application/json only).
  server.set_pre_routing_handler([&port](const httplib::Request& request, httplib::Response& response) {
    std::string host = request.get_header_value("Host");
    std::string suffix = ":" + std::to_string(port);
    if (host != "127.0.0.1" + suffix && host != "localhost" + suffix) {
      response.status = 403;
      response.set_content("kqlite serve answers requests for 127.0.0.1 and localhost only\n", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (request.method == "POST" && request.get_header_value("Content-Type").find("application/json") != 0) {
      response.status = 415;
      response.set_content("{\"ok\":false,\"error\":\"send application/json\"}", kJsonType);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  const std::string assets = WebAssetsDir();
  for (const auto& [name, text] : WebUiFiles()) {
    std::string path = name == "index.html" ? "/" : "/ui/" + std::string(name);
    std::string content_type = ContentType(name);
    std::string_view body = text;
    server.Get(path, [body, content_type](const httplib::Request&, httplib::Response& response) {
      response.set_header("Cache-Control", "no-store");
      response.set_content(body.data(), body.size(), content_type.c_str());
    });
  }
  server.set_file_extension_and_mimetype_mapping("js", kJavaScriptType);
  if (!assets.empty()) server.set_mount_point("/assets", assets);
  server.Get("/api/status", [&](const httplib::Request&, httplib::Response& response) {
    Reply(response, {200, std::string("{\"version\":\"") + KQLITE_VERSION + "\",\"assets\":" +
                              (assets.empty() ? "false" : "true") + ",\"demo\":" + (demo ? "true" : "false") + "," +
                              api.ActivityMembers() + "}"});
  });
  server.Get("/api/schema", [&](const httplib::Request&, httplib::Response& response) { Reply(response, api.Schema()); });
  server.Post("/api/query", [&](const httplib::Request& request, httplib::Response& response) {
    Reply(response, api.Query(request.body));
  });
  server.Get("/api/catalog", [&](const httplib::Request&, httplib::Response& response) {
    Reply(response, api.Catalog());
  });
  server.Post("/api/hunt", [&](const httplib::Request& request, httplib::Response& response) {
    Reply(response, api.Hunt(request.body));
  });
  server.Post("/api/cancel", [&](const httplib::Request& request, httplib::Response& response) {
    Reply(response, api.Cancel(request.body));
  });

  if (port == 0) {
    port = server.bind_to_any_port("127.0.0.1");
  } else if (!server.bind_to_port("127.0.0.1", port)) {
    port = -1;
  }
  if (port <= 0) {
    std::cerr << "kqlite: serve: cannot listen on 127.0.0.1:" << args.port << " (in use? try --port 0)\n";
    return kExitUsage;
  }
  if (assets.empty()) std::cerr << "kqlite: warning: " << MissingWebAssetsMessage() << "; the editor is a plain text box\n";
  std::cout << "kqlite serve: http://127.0.0.1:" << port << "/ (Ctrl-C stops)" << std::endl;
  // Ctrl-C stops the server: a watcher thread sees the interrupt flag and stops the listening loop.
  const std::atomic<bool>* interrupted = InstallInterruptHandler();
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load()) {
      if (interrupted->load()) {
        server.stop();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  server.listen_after_bind();
  done = true;
  watcher.join();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandAction& action) {
  static ServeArgs args;
  CLI::App* serve = app.add_subcommand(
      "serve", "Local web UI on 127.0.0.1: KQL editor, results grid, charts of `render`, schema, hunt view");
  serve->add_option("--data", args.data,
                    "Data file or folder to query (repeatable; default: the bundled demo data)")
      ->allow_extra_args(false);
  serve->add_option("--table", args.tables, "NAME=PATH: read PATH as table NAME (repeatable)")->allow_extra_args(false);
  serve->add_option("--port", args.port, "TCP port on 127.0.0.1 (default 8470; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--now", args.now_text,
                    "Pin now() / ago() and the hunt's window end to this UTC datetime (default: the clock for "
                    "queries, the newest event for the hunt)");
  serve->add_option("--threads", args.threads, "Worker threads per query (default: all cores)");
  serve->add_option("--max-rows", args.max_rows, "Rows a query sends to the grid (default 10000; the count is whole)")
      ->check(CLI::Range(1, 10000000));
  serve->add_option("--max-memory", args.max_memory,
                    "Memory one query may materialise, like 512M or 4G (default: 75% of physical memory or of the cgroup limit)");
  serve->add_option("--timeout", args.timeout, "Stop each query after this long, like 30s or 5m");
  AddWorkspaceOptions(serve, args.workspace);
  AddExternalDataOption(serve);
  serve->footer(
      "The UI's editor and charts use npm packages installed at build time (scripts/web_deps.sh); the JSON API is "
      "POST /api/query {\"query\", \"id\"}, GET /api/schema, POST /api/hunt, POST /api/cancel {\"id\"} "
      "(docs/web_ui.md). Ctrl-C stops the server.");
  serve->callback([&action] { action = [] { return RunServe(args); }; });
}

}  // namespace kql::cli
