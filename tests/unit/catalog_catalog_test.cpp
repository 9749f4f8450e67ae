// Unit tests of the catalog: built-in tables, registration, suggestions and the schema text parser.
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog/schema_parser.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

TEST(CatalogTest, BuiltinDefenderTableHasTimestampAndTimeGenerated) {
  Catalog catalog;
  const Schema* schema = catalog.FindTable("DeviceNetworkEvents");
  ASSERT_NE(schema, nullptr);
  EXPECT_EQ((*schema)[0].name, "Timestamp");
  EXPECT_EQ((*schema)[0].type, KqlType::kDateTime);
  EXPECT_TRUE(FindColumn(*schema, "TimeGenerated").has_value());
  EXPECT_TRUE(FindColumn(*schema, "InitiatingProcessVersionInfoCompanyName").has_value());
  EXPECT_NE(catalog.FindTable("SecurityEvent"), nullptr);
  EXPECT_GT(catalog.TableNames().size(), 800u);
}

// Built-in schemas are parsed on first lookup: every listed built-in table has one, the same pointer each time and
// from every catalog (they share the built-ins), and a registered table still hides a built-in one.
TEST(CatalogTest, EveryBuiltinTableParsesOnLookup) {
  Catalog first;
  Catalog second;
  for (const std::string& name : first.TableNames()) {
    const Schema* schema = first.FindTable(name);
    ASSERT_NE(schema, nullptr) << name;
    EXPECT_FALSE(schema->empty()) << name;
    EXPECT_EQ(second.FindTable(name), schema) << name;
  }
  second.AddTable("DeviceNetworkEvents", {{"Only", KqlType::kString}});
  ASSERT_NE(second.FindTable("DeviceNetworkEvents"), nullptr);
  EXPECT_EQ(second.FindTable("DeviceNetworkEvents")->size(), 1u);
  EXPECT_GT(first.FindTable("DeviceNetworkEvents")->size(), 1u);
  Catalog without(false);
  EXPECT_EQ(without.FindTable("DeviceNetworkEvents"), nullptr);
  EXPECT_TRUE(without.TableNames().empty());
}

TEST(CatalogTest, NamesAreCaseSensitiveAndSuggested) {
  Catalog catalog;
  EXPECT_EQ(catalog.FindTable("devicenetworkevents"), nullptr);
  EXPECT_EQ(catalog.SuggestTable("devicenetworkevents"), "DeviceNetworkEvents");
  EXPECT_EQ(catalog.SuggestTable("DeviceNetworkEvent"), "DeviceNetworkEvents");
  EXPECT_EQ(catalog.SuggestTable("Zzzzzzzzzzzzzzzzzzzz"), std::nullopt);
}

TEST(CatalogTest, RegisteredTablesOverrideBuiltins) {
  Catalog catalog;
  catalog.AddTable("DeviceNetworkEvents", {{"a", KqlType::kLong}});
  ASSERT_NE(catalog.FindTable("DeviceNetworkEvents"), nullptr);
  EXPECT_EQ(catalog.FindTable("DeviceNetworkEvents")->size(), 1u);
  Catalog empty(false);
  EXPECT_EQ(empty.FindTable("SecurityEvent"), nullptr);
  empty.AddTable("T", {});
  EXPECT_EQ(empty.TableNames(), std::vector<std::string>{"T"});
}

TEST(SchemaParserTest, ParsesTypesAliasesAndQuotedNames) {
  std::optional<Schema> schema = ParseSchemaText("(a:string, b:long, ['c d']:double, e: datetime)");
  ASSERT_TRUE(schema.has_value());
  ASSERT_EQ(schema->size(), 4u);
  EXPECT_EQ((*schema)[2].name, "c d");
  EXPECT_EQ((*schema)[2].type, KqlType::kReal);
  EXPECT_EQ((*schema)[3].type, KqlType::kDateTime);
}

TEST(SchemaParserTest, RejectsMalformedText) {
  std::string error;
  EXPECT_FALSE(ParseSchemaText("(a:nosuchtype)", &error).has_value());
  EXPECT_NE(error.find("nosuchtype"), std::string::npos);
  EXPECT_FALSE(ParseSchemaText("(a:long, a:long)", &error).has_value());
  EXPECT_FALSE(ParseSchemaText("(a long)", &error).has_value());
  EXPECT_TRUE(ParseSchemaText("()").has_value());
}

}  // namespace
}  // namespace kql
