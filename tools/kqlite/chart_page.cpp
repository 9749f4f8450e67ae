// Chart files: the self-contained chart page and the --chart option's writer.
#include "chart_page.h"

#include <spawn.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "types/dynamic.h"
#include "web_assets.h"

namespace kql::cli {

std::string ScriptSafe(const std::string& text) {
  // Only "</script" (any case) ends a script element early; "<\/" means the same inside strings and regexes.
  std::string out;
  out.reserve(text.size());
  for (size_t index = 0; index < text.size(); ++index) {
    out.push_back(text[index]);
    if (text[index] == '<' && index + 7 < text.size() && text[index + 1] == '/' &&
        strncasecmp(text.c_str() + index + 2, "script", 6) == 0) {
      out.push_back('\\');
    }
  }
  return out;
}

std::string JsonInScript(const std::string& json) {
  // '<' only occurs inside JSON strings, where \u003c is the same character: no tag can start in the data.
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<') out += "\\u003c";
    else out.push_back(c);
  }
  return out;
}

std::string ChartPageHtml(const std::string& spec_json, const std::string& title, std::string& error) {
  std::string page = "<!doctype html>\n<html><head><meta charset=\"utf-8\">\n<title>";
  for (char c : title.empty() ? std::string("kqlite chart") : title) {
    if (c == '<') page += "&lt;";
    else if (c == '&') page += "&amp;";
    else page.push_back(c);
  }
  page += "</title>\n<style>body{font-family:sans-serif;margin:16px}#chart{width:100%}</style>\n";
  for (const char* script : {"vega/vega.min.js", "vega/vega-lite.min.js", "vega/vega-embed.min.js"}) {
    std::optional<std::string> text = ReadWebAsset(script);
    if (!text) {
      error = MissingWebAssetsMessage();
      return "";
    }
    page += "<script>\n" + ScriptSafe(*text) + "\n</script>\n";
  }
  page += "</head><body>\n<div id=\"chart\"></div>\n<script>\nconst spec = " + JsonInScript(spec_json) + ";\n";
  page += "vegaEmbed('#chart', spec, {actions: false, renderer: 'svg'});\n</script>\n</body></html>\n";
  return page;
}

namespace {

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// --chart FILE.svg: Vega draws the spec under node with the assets' chart_svg.cjs (no browser).
bool WriteChartSvg(const std::string& spec_json, const std::string& path) {
  std::string assets = WebAssetsDir();
  if (assets.empty()) {
    std::cerr << "kqlite: --chart: " << MissingWebAssetsMessage() << "\n";
    return false;
  }
  std::string script = (std::filesystem::path(assets) / "chart_svg.cjs").string();
  std::string spec_path = path + ".spec.json";
  {
    std::ofstream spec(spec_path, std::ios::binary | std::ios::trunc);
    spec << spec_json;
    if (!spec) {
      std::cerr << "kqlite: --chart: cannot write " << spec_path << "\n";
      return false;
    }
  }
  std::vector<std::string> args = {"node", script, assets, spec_path, path};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int status = 0;
  bool spawned = posix_spawnp(&pid, "node", nullptr, nullptr, argv.data(), environ) == 0;
  if (spawned) waitpid(pid, &status, 0);
  std::remove(spec_path.c_str());
  if (!spawned) {
    std::cerr << "kqlite: --chart: an SVG chart needs node (Node.js) on PATH; write .html or .json instead\n";
    return false;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "kqlite: --chart: node could not draw the chart (" << script << ")\n";
    return false;
  }
  return true;
}

}  // namespace

bool WriteChartFile(const QueryResult& result, const std::string& path) {
  if (!result.render) {
    std::cerr << "kqlite: --chart: the query has no `render` operator (end it with, e.g., `| render timechart`)\n";
    return false;
  }
  engine::ChartSpec spec = engine::BuildChartSpec(result.table, *result.render);
  for (const std::string& warning : spec.warnings) std::cerr << "kqlite: warning: " << warning << "\n";
  if (!spec.error.empty()) {
    std::cerr << "kqlite: --chart: " << spec.error << "\n";
    return false;
  }
  if (EndsWith(path, ".svg")) return WriteChartSvg(spec.json, path);
  std::string content;
  if (EndsWith(path, ".json")) {
    content = spec.json + "\n";
  } else {
    std::string title;
    for (const auto& [key, value] : result.render->properties) {
      if (key == "title") title = value;
    }
    std::string error;
    content = ChartPageHtml(spec.json, title, error);
    if (content.empty()) {
      std::cerr << "kqlite: --chart: " << error << "\n";
      return false;
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.flush();
  if (!out) {
    std::cerr << "kqlite: --chart: cannot write " << path << "\n";
    return false;
  }
  return true;
}

}  // namespace kql::cli
