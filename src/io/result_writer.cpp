#include "io/result_writer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "types/dynamic.h"
#include "types/value.h"

namespace kql {

namespace {

// Counts display columns of UTF-8 text (code points; wide characters are not measured).
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

// Keeps table rows on one line: newlines and tabs in cells are shown escaped.
std::string TableCell(const Value& value) {
  std::string text = FormatText(value);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void WriteTable(const Table& table, std::ostream& out) {
  const size_t column_count = table.schema.size();
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths(column_count, 0);
  for (size_t column = 0; column < column_count; ++column) widths[column] = DisplayWidth(table.schema[column].name);
  for (const auto& row : table.Rows()) {
    std::vector<std::string> line;
    for (size_t column = 0; column < column_count; ++column) {
      line.push_back(TableCell(row[column]));
      widths[column] = std::max(widths[column], DisplayWidth(line.back()));
    }
    cells.push_back(std::move(line));
  }
  auto write_line = [&](const std::vector<std::string>& line) {
    std::string text;
    for (size_t column = 0; column < column_count; ++column) {
      if (column > 0) text += "  ";
      text += line[column];
      if (column + 1 < column_count) text.append(widths[column] - DisplayWidth(line[column]), ' ');
    }
    out << text << '\n';
  };
  std::vector<std::string> header;
  std::vector<std::string> separator;
  for (size_t column = 0; column < column_count; ++column) {
    header.push_back(table.schema[column].name);
    separator.push_back(std::string(widths[column], '-'));
  }
  write_line(header);
  write_line(separator);
  for (const auto& line : cells) write_line(line);
}

void WriteCsvCell(std::string_view text, std::ostream& out) {
  bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) {
    out << text;
    return;
  }
  out << '"';
  for (char c : text) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

void WriteCsv(const Table& table, std::ostream& out) {
  for (size_t column = 0; column < table.schema.size(); ++column) {
    if (column > 0) out << ',';
    WriteCsvCell(table.schema[column].name, out);
  }
  out << "\r\n";
  for (const auto& row : table.Rows()) {
    for (size_t column = 0; column < row.size(); ++column) {
      if (column > 0) out << ',';
      WriteCsvCell(FormatText(row[column]), out);
    }
    out << "\r\n";
  }
}

void WriteJsonLines(const Table& table, std::ostream& out) {
  std::vector<std::string> keys;
  for (const ColumnDef& column : table.schema) {
    std::string key;
    AppendJsonString(key, column.name);
    keys.push_back(std::move(key));
  }
  std::string line;
  for (const auto& row : table.Rows()) {
    line.clear();
    line.push_back('{');
    for (size_t column = 0; column < row.size(); ++column) {
      if (column > 0) line.push_back(',');
      line += keys[column];
      line.push_back(':');
      line += FormatJson(row[column]);
    }
    line += "}\n";
    out << line;
  }
}

void WriteJson(const Table& table, std::ostream& out) {
  std::string text = "{\"columns\":[";
  for (size_t column = 0; column < table.schema.size(); ++column) {
    if (column > 0) text.push_back(',');
    text += "{\"name\":";
    AppendJsonString(text, table.schema[column].name);
    text += ",\"type\":";
    AppendJsonString(text, TypeName(table.schema[column].type));
    text.push_back('}');
  }
  text += "],\"rows\":[";
  out << text;
  bool first_row = true;
  for (const auto& row : table.Rows()) {
    text.clear();
    if (!first_row) text.push_back(',');
    first_row = false;
    text += "\n[";
    for (size_t column = 0; column < row.size(); ++column) {
      if (column > 0) text.push_back(',');
      text += FormatJson(row[column]);
    }
    text.push_back(']');
    out << text;
  }
  out << "]}\n";
}

}  // namespace

std::optional<ResultFormat> ParseResultFormat(std::string_view name) {
  if (name == "table") return ResultFormat::kTable;
  if (name == "csv") return ResultFormat::kCsv;
  if (name == "jsonl" || name == "ndjson") return ResultFormat::kJsonLines;
  if (name == "json") return ResultFormat::kJson;
  return std::nullopt;
}

void WriteResult(const Table& table, ResultFormat format, std::ostream& out) {
  switch (format) {
    case ResultFormat::kTable: WriteTable(table, out); break;
    case ResultFormat::kCsv: WriteCsv(table, out); break;
    case ResultFormat::kJsonLines: WriteJsonLines(table, out); break;
    case ResultFormat::kJson: WriteJson(table, out); break;
  }
}

}  // namespace kql
