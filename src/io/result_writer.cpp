#include "io/result_writer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "types/dynamic.h"
#include "types/value.h"
#include "io/layer.h"

namespace kql::io {

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

/// Narrowest a column is cut to when the table must fit a width.
constexpr size_t kMinColumnWidth = 4;

/// Cuts `text` to `width` display columns, ending with "…" when it was longer.
std::string CutCell(const std::string& text, size_t width) {
  if (DisplayWidth(text) <= width) return text;
  if (width == 0) return "";
  size_t kept = 0;
  size_t end = 0;
  while (end < text.size()) {
    size_t next = end + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    if (kept + 1 > width - 1) break;
    ++kept;
    end = next;
  }
  return text.substr(0, end) + "\u2026";
}

/// Shrinks column widths so a line (two spaces between columns) fits `max_width`: columns narrower than an even
/// share keep their width, the wider ones share the rest; none goes below kMinColumnWidth (or its own width).
void FitWidths(std::vector<size_t>& widths, size_t max_width) {
  if (max_width == 0 || widths.empty()) return;
  size_t gaps = 2 * (widths.size() - 1);
  size_t total = gaps;
  for (size_t width : widths) total += width;
  if (total <= max_width) return;
  size_t budget = max_width > gaps ? max_width - gaps : 0;
  std::vector<bool> fixed(widths.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    size_t open = 0;
    size_t open_budget = budget;
    for (size_t i = 0; i < widths.size(); ++i) {
      if (fixed[i]) {
        open_budget = open_budget > widths[i] ? open_budget - widths[i] : 0;
      } else {
        ++open;
      }
    }
    if (open == 0) break;
    size_t share = open_budget / open;
    for (size_t i = 0; i < widths.size(); ++i) {
      if (!fixed[i] && widths[i] <= share) {
        fixed[i] = true;
        changed = true;
      }
    }
    if (changed) continue;
    size_t extra = open_budget % open;
    for (size_t i = 0; i < widths.size(); ++i) {
      if (fixed[i]) continue;
      size_t target = std::max(kMinColumnWidth, share + (extra > 0 ? 1 : 0));
      if (extra > 0) --extra;
      widths[i] = std::min(widths[i], target);
    }
  }
}

/// 1234567 → "1,234,567".
std::string GroupThousands(size_t number) {
  std::string digits = std::to_string(number);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

void WriteTable(const Table& table, std::ostream& out, const ResultWriteOptions& options) {
  const size_t column_count = table.schema.size();
  const size_t row_count = table.RowCount();
  const size_t shown_rows = options.max_rows > 0 ? std::min(options.max_rows, row_count) : row_count;
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths(column_count, 0);
  for (size_t column = 0; column < column_count; ++column) widths[column] = DisplayWidth(table.schema[column].name);
  for (const auto& row : table.Rows()) {
    if (cells.size() == shown_rows) break;
    std::vector<std::string> line;
    for (size_t column = 0; column < column_count; ++column) {
      line.push_back(TableCell(row[column]));
      widths[column] = std::max(widths[column], DisplayWidth(line.back()));
    }
    cells.push_back(std::move(line));
  }
  FitWidths(widths, options.max_width);
  auto write_line = [&](const std::vector<std::string>& line) {
    std::string text;
    for (size_t column = 0; column < column_count; ++column) {
      if (column > 0) text += "  ";
      std::string cell = CutCell(line[column], widths[column]);
      text += cell;
      if (column + 1 < column_count) text.append(widths[column] - DisplayWidth(cell), ' ');
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
  if (shown_rows < row_count) {
    out << "(showing " << GroupThousands(shown_rows) << " of " << GroupThousands(row_count) << " rows)\n";
  } else if (options.row_count_footer) {
    out << "(" << GroupThousands(row_count) << (row_count == 1 ? " row)\n" : " rows)\n");
  }
}

void AppendCsvCell(std::string& out, std::string_view text) {
  bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) {
    out += text;
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
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
  WriteResult(table, format, out, ResultWriteOptions{});
}

void WriteResult(const Table& table, ResultFormat format, std::ostream& out, const ResultWriteOptions& options) {
  if (format == ResultFormat::kTable) {
    WriteTable(table, out, options);
    return;
  }
  // The other formats are written exactly as a streamed result is.
  StreamingResultWriter writer(format, out);
  writer.Begin(table.schema);
  for (const DataChunk& chunk : table.chunks) writer.Write(chunk);
  writer.Finish();
}

bool FormatStreams(ResultFormat format) { return format != ResultFormat::kTable; }

StreamingResultWriter::StreamingResultWriter(ResultFormat format, std::ostream& out) : format_(format), out_(out) {}

void StreamingResultWriter::Begin(const Schema& schema) {
  schema_ = schema;
  json_keys_.clear();
  for (const ColumnDef& column : schema_) {
    std::string key;
    AppendJsonString(key, column.name);
    json_keys_.push_back(std::move(key));
  }
}

void StreamingResultWriter::WriteHead() {
  if (head_written_) return;
  head_written_ = true;
  std::string text;
  if (format_ == ResultFormat::kCsv) {
    for (size_t column = 0; column < schema_.size(); ++column) {
      if (column > 0) text.push_back(',');
      AppendCsvCell(text, schema_[column].name);
    }
    text.push_back('\n');
  } else if (format_ == ResultFormat::kJson) {
    text = "{\"columns\":[";
    for (size_t column = 0; column < schema_.size(); ++column) {
      if (column > 0) text.push_back(',');
      text += "{\"name\":";
      text += json_keys_[column];
      text += ",\"type\":";
      AppendJsonString(text, TypeName(schema_[column].type));
      text.push_back('}');
    }
    text += "],\"rows\":[";
  }
  out_ << text;
}

bool StreamingResultWriter::Write(const DataChunk& chunk) {
  WriteHead();
  std::string text;
  chunk.ForEachActive([&](size_t row) {
    switch (format_) {
      case ResultFormat::kCsv:
        for (size_t column = 0; column < chunk.columns.size(); ++column) {
          if (column > 0) text.push_back(',');
          AppendCsvCell(text, FormatText(chunk.columns[column].GetValue(row)));
        }
        text.push_back('\n');
        break;
      case ResultFormat::kJsonLines:
        text.push_back('{');
        for (size_t column = 0; column < chunk.columns.size(); ++column) {
          if (column > 0) text.push_back(',');
          text += json_keys_[column];
          text.push_back(':');
          text += FormatJson(chunk.columns[column].GetValue(row));
        }
        text += "}\n";
        break;
      case ResultFormat::kJson:
        if (rows_written_ > 0) text.push_back(',');
        text += "\n[";
        for (size_t column = 0; column < chunk.columns.size(); ++column) {
          if (column > 0) text.push_back(',');
          text += FormatJson(chunk.columns[column].GetValue(row));
        }
        text.push_back(']');
        break;
      case ResultFormat::kTable: break;
    }
    ++rows_written_;
  });
  out_ << text;
  return static_cast<bool>(out_);
}

bool StreamingResultWriter::Finish() {
  WriteHead();
  if (format_ == ResultFormat::kJson) out_ << "]}\n";
  out_.flush();
  return static_cast<bool>(out_);
}

}  // namespace kql::io
