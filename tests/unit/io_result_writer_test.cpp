// Unit tests of the result writers: table, csv, jsonl and json renderings of every type.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "io/result_writer.h"
#include "types/datetime.h"
#include "types/dynamic.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

Table SampleTable() {
  Table table;
  table.schema = {{"Name", KqlType::kString}, {"Count", KqlType::kLong}, {"Ratio", KqlType::kReal},
                  {"When", KqlType::kDateTime}, {"Span", KqlType::kTimeSpan}, {"Bag", KqlType::kDynamic},
                  {"Ok", KqlType::kBool}, {"Id", KqlType::kGuid}};
  DataChunk chunk;
  for (const ColumnDef& column : table.schema) chunk.columns.emplace_back(column.type);
  auto add = [&](std::vector<Value> values) {
    for (size_t index = 0; index < values.size(); ++index) chunk.columns[index].AppendValue(values[index]);
    ++chunk.size;
  };
  add({Value::String("a,\"b\""), Value::Long(3), Value::Real(0.5), Value::DateTime(*ParseDateTime("2024-05-01T10:00:00.5Z")),
       Value::TimeSpan(*ParseTimeSpan("1.02:03:04")), Value::FromDynamic(ParseJson("{\"k\":[1,null]}")),
       Value::Bool(true), Value::Guid("0a1b2c3d-0000-0000-0000-000000000000")});
  add({Value::String(""), Value::Null(KqlType::kLong), Value::Real(std::numeric_limits<double>::quiet_NaN()),
       Value::Null(KqlType::kDateTime), Value::Null(KqlType::kTimeSpan), Value::Null(KqlType::kDynamic),
       Value::Null(KqlType::kBool), Value::Null(KqlType::kGuid)});
  table.Append(chunk);
  return table;
}

std::string Render(ResultFormat format) {
  std::ostringstream out;
  WriteResult(SampleTable(), format, out);
  return out.str();
}

TEST(IoResultWriter, JsonLines) {
  EXPECT_EQ(Render(ResultFormat::kJsonLines),
            "{\"Name\":\"a,\\\"b\\\"\",\"Count\":3,\"Ratio\":0.5,\"When\":\"2024-05-01T10:00:00.5Z\","
            "\"Span\":\"1.02:03:04\",\"Bag\":{\"k\":[1,null]},\"Ok\":true,"
            "\"Id\":\"0a1b2c3d-0000-0000-0000-000000000000\"}\n"
            "{\"Name\":\"\",\"Count\":null,\"Ratio\":\"NaN\",\"When\":null,\"Span\":null,\"Bag\":null,\"Ok\":null,"
            "\"Id\":null}\n");
}

TEST(IoResultWriter, Json) {
  std::string text = Render(ResultFormat::kJson);
  EXPECT_EQ(text.substr(0, 59), "{\"columns\":[{\"name\":\"Name\",\"type\":\"string\"},{\"name\":\"Count\"");
  EXPECT_NE(text.find("\"rows\":[\n[\"a,\\\"b\\\"\",3,0.5,"), std::string::npos) << text;
  EXPECT_NE(text.find("\n[\"\",null,\"NaN\",null,null,null,null,null]]}\n"), std::string::npos) << text;
}

TEST(IoResultWriter, Csv) {
  EXPECT_EQ(Render(ResultFormat::kCsv),
            "Name,Count,Ratio,When,Span,Bag,Ok,Id\n"
            "\"a,\"\"b\"\"\",3,0.5,2024-05-01T10:00:00.5Z,1.02:03:04,\"{\"\"k\"\":[1,null]}\",true,"
            "0a1b2c3d-0000-0000-0000-000000000000\n"
            ",,NaN,,,,,\n");
}

TEST(IoResultWriter, TextTable) {
  Table table;
  table.schema = {{"Name", KqlType::kString}, {"N", KqlType::kLong}};
  DataChunk chunk;
  chunk.columns.emplace_back(KqlType::kString);
  chunk.columns.emplace_back(KqlType::kLong);
  chunk.columns[0].AppendString("longer name");
  chunk.columns[1].AppendInt(12345);
  chunk.columns[0].AppendString("x");
  chunk.columns[1].AppendNull();
  chunk.size = 2;
  table.Append(chunk);
  std::ostringstream out;
  WriteResult(table, ResultFormat::kTable, out);
  EXPECT_EQ(out.str(),
            "Name         N\n"
            "-----------  -----\n"
            "longer name  12345\n"
            "x            \n");
  EXPECT_EQ(ParseResultFormat("jsonl"), ResultFormat::kJsonLines);
  EXPECT_FALSE(ParseResultFormat("xml").has_value());
}

}  // namespace
}  // namespace kql
