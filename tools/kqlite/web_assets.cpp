// Web assets: where the npm-installed chart and editor scripts are found at run time.
#include "web_assets.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace kql::cli {

namespace fs = std::filesystem;

std::string WebAssetsDir() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("KQLITE_WEB_ASSETS")) candidates.emplace_back(env);
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    fs::path bin = exe.parent_path();
    candidates.push_back(bin / "web" / "assets");
    candidates.push_back(bin.parent_path() / "share" / "kqlite" / "web");
  }
  for (const fs::path& candidate : candidates) {
    if (fs::is_regular_file(candidate / "vega" / "vega.min.js", error)) return candidate.string();
  }
  return "";
}

std::optional<std::string> ReadWebAsset(const std::string& relative_path) {
  std::string dir = WebAssetsDir();
  if (dir.empty()) return std::nullopt;
  bool ok = false;
  std::string text = ReadFile((fs::path(dir) / relative_path).string(), ok);
  if (!ok) return std::nullopt;
  return text;
}

std::string MissingWebAssetsMessage() {
  return "the chart scripts (Vega from npm) are not installed: run `bash scripts/web_deps.sh build/web` (the build "
         "does when npm is available) or set KQLITE_WEB_ASSETS to a folder holding vega/vega.min.js";
}

}  // namespace kql::cli
