// WebApi: the JSON API of `kqlite serve`.
#include "web_api.h"

#include <simdjson.h>

#include <map>
#include <set>

#include "catalog/catalog.h"
#include "engine/chart_spec.h"
#include "pack/builtin_pack.h"
#include "rules/alert_writer.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "types/dynamic.h"
#include "types/value.h"
#include "rules/layer.h"

namespace kql::cli {

using namespace kql::rules;
namespace {

/// Rows beyond which a result is not charted (a chart of more points is unreadable and slow in the browser).
constexpr size_t kMaxChartRows = 100000;

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

ApiResponse ErrorResponse(int status, const std::string& message) {
  return {status, "{\"ok\":false,\"error\":" + Json(message) + "}"};
}

/// Reads the string members `names` of a JSON object request body (absent members stay empty; an empty body is an
/// empty object). Returns an error message, or "" when the body is well formed.
std::string ReadStringMembers(const std::string& body, std::map<std::string, std::string>& members) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return "";
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return "the request body is not JSON";
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return "the request body is not a JSON object";
  for (auto& [name, value] : members) {
    simdjson::dom::element member;
    if (object.at_key(name).get(member) != simdjson::SUCCESS || member.is_null()) continue;
    std::string_view text;
    if (member.get_string().get(text) != simdjson::SUCCESS) return "\"" + name + "\" must be a string";
    value = std::string(text);
  }
  return "";
}

std::string DiagnosticsJson(const std::vector<Diagnostic>& diagnostics) {
  std::string out = "[";
  for (const Diagnostic& diagnostic : diagnostics) {
    if (out.size() > 1) out += ",";
    out += "{\"severity\":";
    out += diagnostic.severity == Severity::kError ? "\"error\"" : "\"warning\"";
    out += ",\"code\":" + Json(diagnostic.code) + ",\"message\":" + Json(diagnostic.message);
    out += ",\"line\":" + std::to_string(diagnostic.span.line) + ",\"column\":" + std::to_string(diagnostic.span.col);
    out += ",\"offset\":" + std::to_string(diagnostic.span.offset) +
           ",\"length\":" + std::to_string(diagnostic.span.length) + "}";
  }
  return out + "]";
}

std::string ColumnsJson(const Schema& schema) {
  std::string out = "[";
  for (const ColumnDef& column : schema) {
    if (out.size() > 1) out += ",";
    out += "{\"name\":" + Json(column.name) + ",\"type\":" + Json(TypeName(column.type)) + "}";
  }
  return out + "]";
}

std::string StringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ",";
    out += Json(item);
  }
  return out + "]";
}

/// A result table as JSON object members: "columns", "rows" (at most `max_rows`), "row_count", "truncated".
std::string TableMembers(const Table& table, size_t max_rows) {
  const size_t row_count = table.RowCount();
  std::string rows = "[";
  size_t written = 0;
  for (const DataChunk& chunk : table.chunks) {
    if (written >= max_rows) break;
    Table part;
    part.schema = table.schema;
    part.chunks.push_back(chunk);
    for (const auto& row : part.Rows()) {
      if (written >= max_rows) break;
      if (written > 0) rows += ",";
      rows += "[";
      for (size_t column = 0; column < row.size(); ++column) {
        if (column > 0) rows += ",";
        rows += FormatJson(row[column]);
      }
      rows += "]";
      ++written;
    }
  }
  rows += "]";
  return "\"columns\":" + ColumnsJson(table.schema) + ",\"rows\":" + rows + ",\"row_count\":" +
         std::to_string(row_count) + ",\"truncated\":" + (written < row_count ? "true" : "false");
}

}  // namespace

ApiResponse WebApi::Query(const std::string& request_body) {
  std::map<std::string, std::string> members{{"query", ""}, {"id", ""}};
  std::string problem = ReadStringMembers(request_body, members);
  if (!problem.empty()) return ErrorResponse(400, problem);
  const std::string& text = members["query"];
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return ErrorResponse(400, "no query given");

  Wait(members["id"]);
  std::lock_guard<std::mutex> run_lock(run_mutex_);
  BeginRun(members["id"]);
  QueryOptions options;
  options.now_ticks = options_.now_ticks;
  options.threads = options_.threads;
  options.max_memory_bytes = options_.max_memory_bytes;
  options.timeout = options_.timeout;
  options.cancel = &cancel_;
  auto start = std::chrono::steady_clock::now();
  QueryResult result = engine_.Query(text, options);
  double elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  bool cancelled = result.failure == QueryFailure::kCancelled || cancel_.load();
  EndRun();

  std::string diagnostics = DiagnosticsJson(result.diagnostics);
  if (!result.ok || cancel_.load()) {
    std::string error = result.error;
    if (cancelled) error = "query cancelled";
    if (error.empty()) {
      for (const Diagnostic& diagnostic : result.diagnostics) {
        if (diagnostic.severity == Severity::kError) {
          error = diagnostic.code + ": " + diagnostic.message;
          break;
        }
      }
    }
    return {200, "{\"ok\":false,\"error\":" + Json(error) + ",\"cancelled\":" + (cancelled ? "true" : "false") +
                     ",\"diagnostics\":" + diagnostics + ",\"elapsed_ms\":" + std::to_string(elapsed_ms) + "}"};
  }
  const size_t row_count = result.table.RowCount();
  std::string body = "{\"ok\":true," + TableMembers(result.table, options_.max_rows) +
                     ",\"table_name\":" + Json(result.table_name) + ",\"more_tables\":[";
  for (size_t index = 0; index < result.more_tables.size(); ++index) {
    const NamedTable& more = result.more_tables[index];
    body += (index ? ",{" : "{") + std::string("\"name\":") + Json(more.name) + "," +
            TableMembers(more.table, options_.max_rows) + "}";
  }
  body += "],\"elapsed_ms\":" + std::to_string(elapsed_ms) + ",\"diagnostics\":" + diagnostics;
  if (result.render) {
    std::string properties = "{";
    for (const auto& [key, value] : result.render->properties) {
      if (properties.size() > 1) properties += ",";
      properties += Json(key) + ":" + Json(value);
    }
    properties += "}";
    body += ",\"render\":{\"visualization\":" + Json(result.render->visualization) +
            ",\"properties\":" + properties + "}";
    if (row_count > kMaxChartRows) {
      body += ",\"chart\":null,\"chart_error\":" +
              Json("too many rows to chart (" + std::to_string(row_count) + "); summarize first");
    } else {
      engine::ChartSpec chart = engine::BuildChartSpec(result.table, *result.render);
      body += ",\"chart\":" + (chart.error.empty() ? chart.json : std::string("null"));
      body += ",\"chart_error\":" + (chart.error.empty() ? std::string("null") : Json(chart.error));
      body += ",\"chart_warnings\":" + StringArray(chart.warnings);
    }
  } else {
    body += ",\"render\":null,\"chart\":null";
  }
  body += "}";
  return {200, body};
}

ApiResponse WebApi::Schema() const {
  std::lock_guard<std::mutex> run_lock(run_mutex_);
  std::map<std::string, std::vector<std::string>> files;
  for (const DataFileInfo& file : engine_.DataFiles()) files[file.table].push_back(file.path);
  std::string tables = "[";
  for (const std::string& name : engine_.TableNames()) {
    const kql::Schema* schema = engine_.catalog().FindTable(name);
    if (!schema) continue;
    if (tables.size() > 1) tables += ",";
    tables += "{\"name\":" + Json(name) + ",\"columns\":" + ColumnsJson(*schema) +
              ",\"files\":" + StringArray(files[name]) + "}";
  }
  tables += "]";
  return {200, "{\"database\":\"kqlite\",\"tables\":" + tables + "}"};
}

ApiResponse WebApi::Catalog() const {
  std::lock_guard<std::mutex> run_lock(run_mutex_);
  const std::vector<std::string> loaded_names = engine_.TableNames();
  const std::set<std::string> loaded(loaded_names.begin(), loaded_names.end());
  std::string tables = "[";
  for (const std::string& name : engine_.catalog().TableNames()) {
    const kql::Schema* schema = engine_.catalog().FindTable(name);
    if (!schema) continue;
    if (tables.size() > 1) tables += ",";
    tables += "{\"name\":" + Json(name) + ",\"columns\":" + ColumnsJson(*schema) +
              ",\"loaded\":" + (loaded.count(name) ? "true" : "false") + "}";
  }
  tables += "]";
  std::string functions = "[";
  for (const std::string& name : engine_.catalog().FunctionNames()) {
    const catalog::StoredFunction* function = engine_.catalog().FindFunction(name);
    if (!function) continue;
    if (functions.size() > 1) functions += ",";
    functions += "{\"name\":" + Json(name) + ",\"parameters\":" + Json(function->parameters) +
                 ",\"body\":" + Json(function->body) + "}";
  }
  functions += "]";
  return {200, "{\"database\":\"kqlite\",\"tables\":" + tables + ",\"functions\":" + functions + "}"};
}

ApiResponse WebApi::Hunt(const std::string& request_body) {
  std::map<std::string, std::string> members{{"id", ""}};
  std::string problem = ReadStringMembers(request_body, members);
  if (!problem.empty()) return ErrorResponse(400, problem);
  std::vector<SentinelRule> rules;
  for (RuleLoadResult& loaded : kql::pack::LoadBuiltinRules()) {
    if (loaded.rule) rules.push_back(std::move(*loaded.rule));
  }
  HuntOptions options;
  options.threads = options_.threads;
  if (options_.now_ticks) {
    options.now_ticks = options_.now_ticks;
  } else {
    options.now_latest = true;
  }
  options.cancel = &cancel_;
  Wait(members["id"]);
  std::lock_guard<std::mutex> run_lock(run_mutex_);
  BeginRun(members["id"]);
  auto start = std::chrono::steady_clock::now();
  HuntReport report = RunHunt(engine_, std::move(rules), options);
  double elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EndRun();
  if (cancel_.load()) {
    return {200, "{\"ok\":false,\"cancelled\":true,\"error\":\"hunt cancelled (the rules after the running one "
                 "did not run)\",\"elapsed_ms\":" + std::to_string(elapsed_ms) + "}"};
  }
  std::string alerts = "[";
  for (const Alert& alert : report.alerts) {
    if (alerts.size() > 1) alerts += ",";
    alerts += AlertToJson(report, alert);
  }
  alerts += "]";
  std::string body = "{\"ok\":true,\"now\":" + FormatJson(Value::DateTime(report.now_ticks)) +
                     ",\"rules\":" + std::to_string(report.rules.size()) +
                     ",\"rules_run\":" + std::to_string(RulesRun(report)) +
                     ",\"notes\":" + StringArray(QuietRuleReasons(report)) +
                     ",\"elapsed_ms\":" + std::to_string(elapsed_ms) + ",\"alerts\":" + alerts + "}";
  return {200, body};
}

std::string WebApi::ActivityMembers() {
  std::lock_guard<std::mutex> id_lock(id_mutex_);
  std::string out = "\"running\":" + (running_ && !running_id_.empty() ? Json(running_id_) : std::string("null"));
  return out + ",\"waiting\":" + StringArray(std::vector<std::string>(waiting_ids_.begin(), waiting_ids_.end()));
}

void WebApi::Wait(const std::string& id) {
  std::lock_guard<std::mutex> id_lock(id_mutex_);
  if (!id.empty()) waiting_ids_.insert(id);
}

void WebApi::BeginRun(const std::string& id) {
  std::lock_guard<std::mutex> id_lock(id_mutex_);
  running_ = true;
  running_id_ = id;
  cancel_ = false;
  if (id.empty()) return;
  waiting_ids_.erase(waiting_ids_.find(id));
  if (cancelled_ids_.erase(id) > 0) cancel_ = true;
}

void WebApi::EndRun() {
  std::lock_guard<std::mutex> id_lock(id_mutex_);
  running_ = false;
  running_id_.clear();
}

ApiResponse WebApi::Cancel(const std::string& request_body) {
  std::map<std::string, std::string> members{{"id", ""}};
  std::string problem = ReadStringMembers(request_body, members);
  if (!problem.empty()) return ErrorResponse(400, problem);
  const std::string& id = members["id"];
  std::lock_guard<std::mutex> id_lock(id_mutex_);
  bool cancelled = running_ && (id.empty() || id == running_id_);
  if (cancelled) {
    cancel_ = true;
  } else if (!id.empty() && waiting_ids_.count(id) > 0) {
    cancelled_ids_.insert(id);
    cancelled = true;
  }
  return {200, std::string("{\"cancelled\":") + (cancelled ? "true" : "false") + "}"};
}

}  // namespace kql::cli
