// The `table` format fitted to a terminal: cells cut with "…" to the width (UTF-8 counted per code point), narrow
// columns kept whole, --max-rows with the "(showing N of M rows)" footer, and the "(N rows)" footer.
#include <gtest/gtest.h>

#include <sstream>

#include "io/result_writer.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

/// Process events as a hunt shows them: a short host, a long command line, a count.
Table ProcessTable(size_t rows) {
  Table table;
  table.schema = {{"DeviceName", KqlType::kString}, {"ProcessCommandLine", KqlType::kString}, {"N", KqlType::kLong}};
  DataChunk chunk;
  for (const ColumnDef& column : table.schema) chunk.columns.emplace_back(column.type);
  for (size_t i = 0; i < rows; ++i) {
    chunk.columns[0].AppendString(i % 2 ? "ws-2" : "dc01.corp");
    chunk.columns[1].AppendString(i % 2 ? "\"C:\\Program Files\\TacticalAgent\\tacticalrmm.exe\" -m svc"
                                        : "powershell -enc SQBFAFgA — Ünïcode");
    chunk.columns[2].AppendInt(static_cast<int64_t>(i));
    ++chunk.size;
  }
  table.Append(chunk);
  return table;
}

std::string Render(const Table& table, ResultWriteOptions options) {
  std::ostringstream out;
  WriteResult(table, ResultFormat::kTable, out, options);
  return out.str();
}

TEST(IoResultTableFit, LongCellsAreCutToTheWidth) {
  ResultWriteOptions options;
  options.max_width = 40;
  EXPECT_EQ(Render(ProcessTable(2), options),
            "DeviceName  ProcessCommandLine         N\n"
            "----------  -------------------------  -\n"
            "dc01.corp   powershell -enc SQBFAFgA…  0\n"
            "ws-2        \"C:\\Program Files\\Tactic…  1\n");
}

TEST(IoResultTableFit, MultiByteCellsAreCutOnCodePoints) {
  ResultWriteOptions options;
  options.max_width = 50;
  std::string text = Render(ProcessTable(1), options);
  EXPECT_NE(text.find("powershell -enc SQBFAFgA — Ünïcode  0\n"), std::string::npos) << text;
  options.max_width = 46;
  text = Render(ProcessTable(1), options);
  EXPECT_NE(text.find("dc01.corp   powershell -enc SQBFAFgA — Ünï…  0\n"), std::string::npos) << text;
}

TEST(IoResultTableFit, WideEnoughOrUnlimitedLeavesCellsWhole) {
  std::string whole = Render(ProcessTable(2), ResultWriteOptions{});
  EXPECT_NE(whole.find("\"C:\\Program Files\\TacticalAgent\\tacticalrmm.exe\" -m svc  1\n"), std::string::npos);
  ResultWriteOptions wide;
  wide.max_width = 200;
  EXPECT_EQ(Render(ProcessTable(2), wide), whole);
}

TEST(IoResultTableFit, MaxRowsAndFooters) {
  ResultWriteOptions options;
  options.max_rows = 2;
  std::string text = Render(ProcessTable(1234), options);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);
  EXPECT_TRUE(text.ends_with("ws-2        \"C:\\Program Files\\TacticalAgent\\tacticalrmm.exe\" -m svc  1\n"
                             "(showing 2 of 1,234 rows)\n"))
      << text;
  options.max_rows = 0;
  options.row_count_footer = true;
  EXPECT_TRUE(Render(ProcessTable(3), options).ends_with("  2\n(3 rows)\n"));
  EXPECT_TRUE(Render(ProcessTable(1), options).ends_with("(1 row)\n"));
  EXPECT_TRUE(Render(ProcessTable(0), options).ends_with("---  -\n(0 rows)\n"));
}

}  // namespace
}  // namespace kql
