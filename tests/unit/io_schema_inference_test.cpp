// Schema inference from JSON lines: the types of the first records' top-level members, as ParseJson reads them.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "io/schema_inference.h"

namespace kql {
namespace {

Schema InferLines(const std::string& lines, io::JsonLayout layout = io::JsonLayout::kFlat) {
  io::JsonFile file;
  file.file.path = "inline.jsonl";
  file.file.text = std::make_shared<const std::string>(lines);
  file.file.size = lines.size();
  file.layout = layout;
  std::string error;
  auto schema = io::InferJsonSchema(file, &error);
  EXPECT_TRUE(schema.has_value()) << error;
  return schema.value_or(Schema{});
}

std::string Describe(const Schema& schema) {
  std::string out;
  for (const ColumnDef& column : schema) out += column.name + ":" + std::string(TypeName(column.type)) + " ";
  return out;
}

TEST(SchemaInference, NumbersTakeParseJsonsTypes) {
  // -0 and a leading zero are longs to ParseJson; 1.0 and 1e3 are reals; integers beyond a long are reals.
  EXPECT_EQ(Describe(InferLines("{\"negzero\":-0,\"lead\":01,\"one\":1.0,\"exp\":1e3,\"frac\":2.5,"
                                "\"ulong\":12345678901234567890,\"huge\":123456789012345678901234567890,"
                                "\"small\":-9223372036854775808}\n")),
            "negzero:long lead:long one:real exp:real frac:real ulong:real huge:real small:long ");
}

TEST(SchemaInference, RepeatedKeyKeepsItsPlaceAndTakesTheLastValue) {
  EXPECT_EQ(Describe(InferLines("{\"a\":1,\"b\":\"x\",\"a\":\"2020-01-01T00:00:00Z\"}\n")), "a:datetime b:string ");
}

TEST(SchemaInference, ScalarsNullsAndNestedValues) {
  EXPECT_EQ(Describe(InferLines("{\"t\":true,\"z\":null,\"o\":{\"k\":[1,{\"x\":null}]},\"l\":[],"
                                "\"when\":\"2024-05-06 07:08:09\",\"name\":\"2024-05-06x\",\"esc\":\"\\u0041\\ud800\"}\n")),
            "t:bool z:string o:dynamic l:dynamic when:datetime name:string esc:string ");
}

TEST(SchemaInference, ValuesSimdjsonRejectsAreReadAsParseJsonReadsThem) {
  // Bytes that are not UTF-8 and a lone surrogate escape: ParseJson keeps them as strings.
  EXPECT_EQ(Describe(InferLines("{\"bytes\":\"\xff\xfe\",\"lone\":\"\\udc00\"}\n")), "bytes:string lone:string ");
}

TEST(SchemaInference, NestingDeeperThanParseJsonAllowsIsNotARecord) {
  auto nested = [](int depth) { return "{\"deep" + std::to_string(depth) + "\":" + std::string(depth, '[') + std::string(depth, ']') + "}\n"; };
  EXPECT_EQ(Describe(InferLines(nested(200) + nested(300) + "{\"after\":1}\n")), "deep200:dynamic after:long ");
  // A line longer than the parser's first buffer, so that it grows.
  const std::string padding = "{\"pad\":\"" + std::string(200000, 'x') + "\",\"deep\":" + std::string(300, '[');
  EXPECT_EQ(Describe(InferLines(padding + std::string(300, ']') + "}\n{\"after\":1}\n")), "after:long ");
}

TEST(SchemaInference, OnlyJsonLinesCountTowardsTheRecordsRead) {
  std::string broken;
  for (size_t i = 0; i < io::kInferenceRecords; ++i) broken += "{\"x\":\n";
  EXPECT_EQ(Describe(InferLines(broken + "{\"late\":1}\n")), "late:long ");
  std::string arrays;
  for (size_t i = 0; i < io::kInferenceRecords; ++i) arrays += "[1]\n";
  EXPECT_EQ(Describe(InferLines("{\"first\":\"a\"}\n" + arrays + "{\"late\":1}\n")), "first:string ");
}

TEST(SchemaInference, TypesMergeAcrossRecords) {
  EXPECT_EQ(Describe(InferLines("{\"n\":1,\"m\":1,\"s\":1,\"d\":\"x\"}\n{\"n\":2.5,\"m\":null,\"s\":\"x\",\"d\":[1]}\n"
                                "\r\n  \n{\"n\":3}\r\n")),
            "n:real m:long s:string d:dynamic ");
}

TEST(SchemaInference, EnvelopesReadTheirProperties) {
  EXPECT_EQ(Describe(InferLines("{\"category\":\"T\",\"properties\":{\"a\":1,\"b\":\"2024-01-01T00:00:00Z\"}}\n",
                                io::JsonLayout::kEnvelope)),
            "a:long b:datetime ");
}

}  // namespace
}  // namespace kql
