#include "engine/external_data.h"

#include <fstream>
#include <sstream>

#include "io/data_discovery.h"
#include "engine/layer.h"

namespace kql::engine {
namespace {

std::string QuoteCsv(std::string_view field) {
  std::string out = "\"";
  for (char ch : field) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string HeaderLine(const Schema& schema) {
  std::string line;
  for (size_t index = 0; index < schema.size(); ++index) {
    if (index) line += ',';
    line += QuoteCsv(schema[index].name);
  }
  return line + "\n";
}

// Splits text into lines without their line breaks (a final empty line is dropped).
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::shared_ptr<const TableSource> OpenExternalData(const ExternalTable& table, std::string& error) {
  if (table.path.empty()) {
    error = "externaldata URL is not mapped to a local file (kqlite never downloads): " + table.uri +
            "; map it with --externaldata '" + table.uri + "=PATH'";
    return nullptr;
  }
  std::ifstream file(table.path, std::ios::binary);
  if (!file) {
    error = "externaldata: cannot read the local file '" + table.path + "'" +
            (table.uri != table.path ? " mapped for '" + table.uri + "'" : std::string());
    return nullptr;
  }
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::string content = buffer.str();
  // zipPattern names files inside a zip archive; kqlite does not open archives, so the URL must be mapped to the
  // extracted file (which is then read as the format says).
  if (!table.zip_pattern.empty() && content.starts_with("PK\x03\x04")) {
    error = "externaldata: '" + table.path + "' is a zip archive (zipPattern=" + table.zip_pattern +
            "); kqlite does not open archives: extract the file and map '" + table.uri + "' to it";
    return nullptr;
  }
  if (content.starts_with("\xEF\xBB\xBF")) content.erase(0, 3);
  std::string text;
  FileFormat format = FileFormat::kCsv;
  if (table.format == "json" || table.format == "multijson") {
    format = FileFormat::kJsonLines;
    text = std::move(content);
  } else if (table.format == "raw") {
    text = HeaderLine(table.schema) + QuoteCsv(content) + "\n";
  } else {
    std::vector<std::string_view> lines = Lines(content);
    text = HeaderLine(table.schema);
    for (size_t index = table.ignore_first_record ? 1 : 0; index < lines.size(); ++index) {
      const std::string_view line = lines[index];
      if (table.format == "txt") {
        text += QuoteCsv(line);
      } else if (table.format == "tsv") {
        size_t start = 0;
        while (true) {
          const size_t tab = line.find('\t', start);
          text += QuoteCsv(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
          if (tab == std::string_view::npos) break;
          text += ',';
          start = tab + 1;
        }
      } else {
        if (line.empty()) continue;
        text += line;
      }
      text += '\n';
    }
  }
  std::unique_ptr<TableSource> source = OpenTextSource(table.name, table.schema, format, std::move(text));
  if (!source) {
    error = "externaldata: cannot read '" + table.path + "' as " + table.format;
    return nullptr;
  }
  return source;
}

}  // namespace kql::engine
