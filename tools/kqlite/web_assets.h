// Web assets: the JavaScript libraries kqlite's charts and web UI use (Vega, Vega-Lite, vega-embed, Monaco with
// the Kusto language), installed from npm at build time by scripts/web_deps.sh into the build folder
// (build/web/assets) and by `cmake --install` into share/kqlite/web. Nothing is fetched when a page is opened.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli_common.h"

namespace kql::cli {

/// The assets folder: $KQLITE_WEB_ASSETS, web/assets beside the binary (build folder), or ../share/kqlite/web;
/// empty when none holds the chart scripts.
std::string WebAssetsDir();
/// The text of an asset file (path relative to the assets folder), or nullopt when it is missing.
std::optional<std::string> ReadWebAsset(const std::string& relative_path);
/// The web UI's own files (web/ui: index.html, app.js, app.css), embedded at build time (cmake/embed_web_ui.cmake).
const std::vector<std::pair<std::string_view, std::string_view>>& WebUiFiles();
/// The message for missing assets: how to install them.
std::string MissingWebAssetsMessage();

}  // namespace kql::cli
