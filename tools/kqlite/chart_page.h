// Chart files: `kqlite query --chart FILE` writes the Vega-Lite chart of the query's `render` as a self-contained
// HTML page (Vega, Vega-Lite and vega-embed inlined, so it opens offline), for a .json FILE the spec alone, for a
// .svg FILE the chart drawn by Vega under node.
#pragma once
#include <string>

#include "cli_common.h"
#include "engine/chart_spec.h"

namespace kql::cli {

/// The HTML page that draws `spec_json` with the inlined chart scripts; empty (and `error` set) when the scripts
/// are not installed.
std::string ChartPageHtml(const std::string& spec_json, const std::string& title, std::string& error);

/// Writes the chart of `result` to `path` (.json: the Vega-Lite spec; .svg: an SVG drawn with node; anything else:
/// the HTML page). Prints
/// warnings and errors to stderr; returns false when no file was written.
bool WriteChartFile(const QueryResult& result, const std::string& path);

/// Makes script text safe inside an HTML <script> element ("</script" becomes "<\/script").
std::string ScriptSafe(const std::string& text);
/// Makes JSON safe inside an HTML <script> element (every '<', which JSON has only inside strings, as \u003c).
std::string JsonInScript(const std::string& json);

}  // namespace kql::cli
