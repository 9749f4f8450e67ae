// Unit tests of workspace definitions: `.create table` / `.create-or-alter function` control commands, Sentinel
// parser YAML and kqlcheck-style JSON schemas, and stored functions running through the engine (parameters
// with defaults, calls without parentheses, tabular parameters, stored functions calling each other, isolation
// from the caller's lets, recursion limits, and errors reported at the call with the definition's file:line).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "binder/binder.h"
#include "catalog/catalog.h"
#include "kqlite/engine.h"
#include "rules/workspace_definitions.h"
#include "syntax/control_command.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / ("kqlite_workspace_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string Cells(const QueryResult& result) {
  std::string out;
  for (const std::vector<Value>& row : result.table.Rows()) {
    if (!out.empty()) out += "; ";
    for (size_t column = 0; column < row.size(); ++column) {
      if (column) out += ",";
      out += FormatText(row[column]);
    }
  }
  return out;
}

std::string Errors(const QueryResult& result) {
  std::string out = result.error;
  for (const Diagnostic& diagnostic : result.diagnostics) {
    if (!out.empty()) out += "; ";
    out += diagnostic.code + "@" + std::to_string(diagnostic.span.line) + ":" + std::to_string(diagnostic.span.col) +
           " " + diagnostic.message;
  }
  return out;
}

QueryResult RunQuery(Engine& engine, const std::string& query) {
  QueryOptions options;
  options.now_ticks = ParseDateTime("2024-05-01T00:00:00Z");
  options.threads = 1;
  return engine.Query(query, options);
}

constexpr const char* kCommands = R"(// Workspace of a small SOC: one custom table and three functions.
.create table FirewallLogs_CL (TimeGenerated:datetime, SrcIp_s:string, DstPort_d:real, Action_s:string)

.create-or-alter function with (folder = "Parsers", docstring = "Blocked flows; a '}' in a string is fine")
BlockedFlows(port:real = 445, action:string = "deny")
{
    FirewallLogs_CL
    | where DstPort_d == port and Action_s =~ action   // comment with } brace
    | project SrcIp_s, DstPort_d
}

.create function PortLabel(port:long) { strcat("port-", tostring(port)) }
.create-or-alter function CountOf(T:(*)) { T | count }
)";

constexpr const char* kRows = R"({"TimeGenerated":"2024-04-30T10:00:00Z","SrcIp_s":"10.0.0.5","DstPort_d":445,"Action_s":"DENY"}
{"TimeGenerated":"2024-04-30T10:01:00Z","SrcIp_s":"10.0.0.6","DstPort_d":443,"Action_s":"allow"}
{"TimeGenerated":"2024-04-30T10:02:00Z","SrcIp_s":"10.0.0.7","DstPort_d":3389,"Action_s":"deny"}
)";

TEST(ControlCommandTest, ReadsTablesFunctionsAndProblems) {
  ControlCommandSet set = ParseControlCommands(kCommands);
  ASSERT_EQ(set.definitions.size(), 4u);
  EXPECT_EQ(set.definitions[0].name, "FirewallLogs_CL");
  EXPECT_EQ(set.definitions[0].schema, "(TimeGenerated:datetime, SrcIp_s:string, DstPort_d:real, Action_s:string)");
  EXPECT_EQ(set.definitions[1].name, "BlockedFlows");
  EXPECT_EQ(set.definitions[1].parameters, "(port:real = 445, action:string = \"deny\")");
  EXPECT_EQ(set.definitions[1].body_line, 6u);
  EXPECT_NE(set.definitions[1].body.find("project SrcIp_s"), std::string::npos);
  EXPECT_EQ(set.definitions[2].body, " strcat(\"port-\", tostring(port)) ");
  EXPECT_TRUE(set.problems.empty());

  ControlCommandSet bad = ParseControlCommands(".drop table X\n.create function F(x:long)\nprint 1\n");
  ASSERT_EQ(bad.problems.size(), 2u);
  EXPECT_EQ(bad.problems[0].line, 1u);
  EXPECT_NE(bad.problems[0].message.find("Unsupported control command: .drop"), std::string::npos);
  EXPECT_NE(bad.problems[1].message.find("Expected a body"), std::string::npos);
}

TEST(WorkspaceDefinitionsTest, StoredFunctionsRunWithDefaultsAndWithoutParentheses) {
  WorkspaceDefinitions definitions;
  EXPECT_TRUE(LoadFunctionDefinitions(WriteTemp("soc.kql", kCommands), definitions).empty());
  ASSERT_EQ(definitions.tables.size(), 1u);
  ASSERT_EQ(definitions.functions.size(), 3u);
  Engine engine;
  definitions.ApplyTo(engine);
  EXPECT_TRUE(engine.AddDataText("FirewallLogs_CL", {}, "jsonl", kRows).empty());

  EXPECT_EQ(Cells(RunQuery(engine, "BlockedFlows")), "10.0.0.5,445");
  EXPECT_EQ(Cells(RunQuery(engine, "BlockedFlows()")), "10.0.0.5,445");
  EXPECT_EQ(Cells(RunQuery(engine, "BlockedFlows(3389) | extend L = PortLabel(tolong(DstPort_d))")),
            "10.0.0.7,3389,port-3389");
  EXPECT_EQ(Cells(RunQuery(engine, "BlockedFlows(443, 'ALLOW')")), "10.0.0.6,443");
  EXPECT_EQ(Cells(RunQuery(engine, "CountOf(FirewallLogs_CL | where Action_s =~ 'deny')")), "2");
  EXPECT_EQ(Cells(RunQuery(engine, "FirewallLogs_CL | where SrcIp_s in (BlockedFlows) | project SrcIp_s")), "10.0.0.5");
  // The caller's lets do not leak into a stored function's body: `port` there is the parameter.
  EXPECT_EQ(Cells(RunQuery(engine, "let port = 3389; let action = 'allow'; BlockedFlows")), "10.0.0.5,445");
}

TEST(WorkspaceDefinitionsTest, ErrorsInsideABodyAreReportedAtTheCall) {
  WorkspaceDefinitions definitions;
  const std::string path = WriteTemp("broken.csl",
                                     ".create function Broken() {\n"
                                     "  FirewallLogs_CL\n"
                                     "  | where NoSuchColumn == 1\n"
                                     "}\n"
                                     ".create function Loop() { Loop() }\n");
  EXPECT_TRUE(LoadFunctionDefinitions(path, definitions).empty());
  Engine engine;
  engine.AddTableSchema("FirewallLogs_CL", {{"TimeGenerated", KqlType::kDateTime}});
  definitions.ApplyTo(engine);
  QueryResult broken = RunQuery(engine, "print 1 | join (Broken) on $left.print_0 == $right.x");
  EXPECT_FALSE(broken.ok);
  EXPECT_NE(Errors(broken).find("KQL2040@1:17 Stored function Broken (" + path + ":3) does not bind: KQL2001"),
            std::string::npos)
      << Errors(broken);
  QueryResult loop = RunQuery(engine, "Loop");
  EXPECT_FALSE(loop.ok);
  EXPECT_NE(Errors(loop).find("KQL2040@1:1 Stored function Loop"), std::string::npos) << Errors(loop);
  EXPECT_NE(Errors(loop).find("KQL2018"), std::string::npos) << Errors(loop);
}

TEST(WorkspaceDefinitionsTest, SyntaxErrorsAreReportedAtLoad) {
  WorkspaceDefinitions definitions;
  const std::string path = WriteTemp("syntax.kql", ".create function Bad() {\n  T | where x ==\n}\n");
  std::vector<std::string> problems = LoadFunctionDefinitions(path, definitions);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind(path + ":3: KQL1", 0), 0u) << problems[0];
  EXPECT_TRUE(definitions.functions.empty());
}

TEST(WorkspaceDefinitionsTest, SentinelParserYamlWithAliasesAndQuotedDefaults) {
  const std::string path = WriteTemp("vimMini.yaml",
                                     "Parser:\n  Title: mini\n"
                                     "ParserName: vimMiniDeny\n"
                                     "EquivalentBuiltInParser: _Im_MiniDeny\n"
                                     "ParserParams:\n"
                                     "  - Name: action\n    Type: string\n    Default: '*'\n"
                                     "  - Name: ports\n    Type: dynamic \n    Default: dynamic([])\n"
                                     "ParserQuery: |\n"
                                     "  let wanted = (a:string) { a == '*' or Action_s =~ a };\n"
                                     "  FirewallLogs_CL\n"
                                     "  | where wanted(action) and (array_length(ports) == 0 or DstPort_d in (ports))\n"
                                     "  | summarize n = count()\n");
  WorkspaceDefinitions definitions;
  EXPECT_TRUE(LoadFunctionDefinitions(WriteTemp("soc.kql", kCommands), definitions).empty());
  EXPECT_TRUE(LoadFunctionDefinitions(path, definitions).empty());
  Engine engine;
  definitions.ApplyTo(engine);
  EXPECT_TRUE(engine.AddDataText("FirewallLogs_CL", {}, "jsonl", kRows).empty());
  EXPECT_EQ(Cells(RunQuery(engine, "vimMiniDeny")), "3");
  EXPECT_EQ(Cells(RunQuery(engine, "_Im_MiniDeny(action='deny')")), "2");
  EXPECT_EQ(Cells(RunQuery(engine, "_Im_MiniDeny('allow')")), "1");
  EXPECT_EQ(Cells(RunQuery(engine, "vimMiniDeny(ports=dynamic([445, 3389]))")), "2");

  WorkspaceDefinitions not_parser;
  std::vector<std::string> problems =
      LoadFunctionDefinitions(WriteTemp("rule.yaml", "id: 1\nquery: T\n"), not_parser);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("not a Sentinel parser"), std::string::npos);
}

TEST(WorkspaceDefinitionsTest, JsonSchemaInKqlcheckFormat) {
  const std::string path = WriteTemp(
      "schema.json",
      R"json({"database": "w", "tables": {"App_CL": {"Name_s": "string", "Count_d": "real"}, "B": "(x:long)"},
          "functions": {"Big": {"params": "(n:real)", "body": "{ App_CL | where Count_d > n }"}}})json");
  WorkspaceDefinitions definitions;
  EXPECT_TRUE(LoadSchemaDefinitions(path, definitions).empty());
  ASSERT_EQ(definitions.tables.size(), 2u);
  Engine engine;
  definitions.ApplyTo(engine);
  EXPECT_TRUE(engine.Check("Big(2) | project Name_s | union B").empty());
  std::optional<Schema> schema = engine.ResultSchema("App_CL");
  ASSERT_TRUE(schema.has_value());
  EXPECT_EQ((*schema)[1].name, "Count_d");
  EXPECT_EQ((*schema)[1].type, KqlType::kReal);
}

}  // namespace
}  // namespace kql
