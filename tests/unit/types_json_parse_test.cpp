// Unit tests of the dynamic-value JSON parser (ParseJson, ParseStrictJson, ParseDynamicLiteral): strings are read a
// 16-byte block at a time up to the next quote, backslash or (strict) control character, and a repeated object key
// is found by its hash; these check both against what the text says, at every position in and across blocks.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "types/dynamic.h"

namespace kql {
namespace {

std::string RandomString(std::mt19937& random, size_t length) {
  static const std::vector<std::string> kPieces = {"a", "b", "Z", " ", "\"", "\\", "/", "'", "\t", "\n", "\x01",
                                                   "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "0", ":", ",", "}"};
  std::string out;
  while (out.size() < length) out += kPieces[random() % kPieces.size()];
  return out;
}

TEST(TypesJsonParse, StringsRoundTripThroughTheirJsonForm) {
  std::mt19937 random(11);
  for (int round = 0; round < 3000; ++round) {
    const std::string key = RandomString(random, random() % 40);
    const std::string value = RandomString(random, random() % 80);
    std::string text = "{";
    AppendJsonString(text, key);
    text += ":";
    AppendJsonString(text, value);
    text += "}";
    for (bool strict : {false, true}) {
      std::string error;
      Dynamic parsed = strict ? ParseStrictJson(text, &error) : ParseJson(text, &error);
      ASSERT_TRUE(parsed) << text << ": " << error;
      ASSERT_EQ(parsed->members().size(), 1u) << text;
      EXPECT_EQ(parsed->members()[0].first, key) << text;
      ASSERT_TRUE(parsed->Find(key)) << text;
      EXPECT_EQ(parsed->Find(key)->string_value(), value) << text;
    }
  }
}

// A raw control character inside a string: kept by ParseJson, rejected by ParseStrictJson, wherever it falls.
TEST(TypesJsonParse, RawControlCharactersAtEveryOffset) {
  for (size_t at = 0; at < 40; ++at) {
    for (char control : {'\t', '\n', '\x01', '\x1f'}) {
      std::string value(40, 'x');
      value[at] = control;
      const std::string text = "[\"" + value + "\"]";
      Dynamic tolerant = ParseJson(text);
      ASSERT_TRUE(tolerant) << at;
      EXPECT_EQ(tolerant->items()[0]->string_value(), value);
      std::string error;
      EXPECT_FALSE(ParseStrictJson(text, &error)) << at;
      EXPECT_NE(error.find("control character"), std::string::npos) << error;
    }
    // 0x7F and 0x20 are not control characters for JSON.
    std::string value(40, 'x');
    value[at] = '\x7f';
    EXPECT_TRUE(ParseStrictJson("[\"" + value + "\"]"));
  }
}

// Quotes and backslashes at every offset of a long string, and strings cut short.
TEST(TypesJsonParse, EscapesAndEndsAtEveryOffset) {
  for (size_t at = 0; at < 48; ++at) {
    std::string value(48, 'y');
    std::string json_value = value;
    json_value.replace(at, 1, "\\\"");
    value[at] = '"';
    Dynamic parsed = ParseJson("\"" + json_value + "\"");
    ASSERT_TRUE(parsed) << at;
    EXPECT_EQ(parsed->string_value(), value);
    // Unterminated at every length.
    std::string error;
    EXPECT_FALSE(ParseJson("\"" + std::string(at, 'z'), &error)) << at;
    EXPECT_NE(error.find("unterminated"), std::string::npos) << error;
    EXPECT_FALSE(ParseJson("\"" + std::string(at, 'z') + "\\", &error)) << at;
  }
}

// In a dynamic literal, a single-quoted string ends at its own quote; double quotes inside it are plain.
TEST(TypesJsonParse, SingleQuotedLiteralStrings) {
  for (size_t at = 0; at < 40; ++at) {
    std::string value(40, 'q');
    value[at] = '"';
    Dynamic parsed = ParseDynamicLiteral("['" + value + "', \"x'y\"]");
    ASSERT_TRUE(parsed) << at;
    ASSERT_EQ(parsed->items().size(), 2u);
    EXPECT_EQ(parsed->items()[0]->string_value(), value);
    EXPECT_EQ(parsed->items()[1]->string_value(), "x'y");
  }
}

// A repeated key keeps its first position and takes its last value, among many keys.
TEST(TypesJsonParse, RepeatedKeysKeepTheFirstPlaceAndTheLastValue) {
  std::string text = "{";
  for (int index = 0; index < 40; ++index) text += "\"Key" + std::to_string(index) + "\":" + std::to_string(index) + ",";
  text += "\"Key7\":\"again\",\"Key39\":null,\"Key7\":\"last\"}";
  Dynamic parsed = ParseJson(text);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->members().size(), 40u);
  EXPECT_EQ(parsed->members()[7].first, "Key7");
  EXPECT_EQ(parsed->members()[7].second->string_value(), "last");
  EXPECT_EQ(parsed->members()[39].second->kind(), DynamicValue::Kind::kNull);
  EXPECT_EQ(parsed->members()[8].second->int_value(), 8);
}

}  // namespace
}  // namespace kql
