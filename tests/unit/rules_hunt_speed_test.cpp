// Hunt speed machinery, for correctness only (no timing): the one-pass literal set search, and hunts whose alerts,
// outcomes and notes must be the same with and without the shared pass per table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "engine/shared_scan.h"
#include "io/literal_prefilter.h"
#include "io/literal_set.h"
#include "pack/builtin_pack.h"
#include "rules/alert_writer.h"
#include "rules/exclusion.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool NaiveContainsAny(const std::string& text, const std::vector<std::string>& literals) {
  std::string lowered = Lower(text);
  for (const auto& literal : literals) {
    if (lowered.find(literal) != std::string::npos) return true;
  }
  return false;
}

TEST(LiteralSetTest, FindsAnyLiteralIgnoringCase) {
  LiteralSet set({"tacticalrmm.io", "ctes.exe", "ab", "x", "go-agent"});
  EXPECT_TRUE(set.ContainedIn(R"({"RemoteUrl":"MESH.TacticalRMM.IO"})"));
  EXPECT_TRUE(set.ContainedIn("..CTES.EXE"));
  EXPECT_TRUE(set.ContainedIn("go-agent"));  // the whole text
  EXPECT_TRUE(set.ContainedIn("zzAb"));      // a short literal at the end
  EXPECT_TRUE(set.ContainedIn("X"));
  EXPECT_FALSE(set.ContainedIn("tacticalrmm.i"));  // cut short at the end of the text
  EXPECT_FALSE(set.ContainedIn(""));
  EXPECT_FALSE(LiteralSet(std::vector<std::string>{}).ContainedIn("anything"));
  EXPECT_TRUE(LiteralSet(std::vector<std::string>{}).empty());
}

TEST(LiteralSetTest, AgreesWithNaiveSearchOnRandomText) {
  std::mt19937 random(7);
  const std::string alphabet = "abcdeABCDE.-_@`[{";
  auto random_text = [&](size_t length) {
    std::string text;
    for (size_t i = 0; i < length; ++i) text.push_back(alphabet[random() % alphabet.size()]);
    return text;
  };
  std::vector<std::string> literals;
  for (int i = 0; i < 300; ++i) literals.push_back(Lower(random_text(3 + random() % 6)));
  LiteralSet set(literals);
  int hits = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text = random_text(random() % 40);
    bool expected = NaiveContainsAny(text, literals);
    hits += expected;
    ASSERT_EQ(set.ContainedIn(text), expected) << text;
  }
  EXPECT_GT(hits, 100);
  EXPECT_LT(hits, 1900);
}

TEST(LiteralSetTest, LongListsInAPrefilterStillMatchExactly) {
  std::vector<std::string> literals;
  for (int i = 0; i < 40; ++i) literals.push_back("host" + std::to_string(i) + ".example");
  LiteralPrefilter prefilter({literals}, LiteralPrefilter::Encoding::kJson);
  EXPECT_TRUE(prefilter.MayMatch(R"({"RemoteUrl":"HOST39.Example"})"));
  EXPECT_TRUE(prefilter.MayMatch(R"({"RemoteUrl":"host0.example"})"));
  EXPECT_FALSE(prefilter.MayMatch(R"({"RemoteUrl":"host40.example"})"));
}

TEST(CandidateSourceTest, CoversOnlyScansWhoseLiteralsAndColumnsItHolds) {
  auto table = std::make_shared<Table>();
  table->schema = {{"RemoteUrl", KqlType::kString}};
  Engine engine;
  ASSERT_TRUE(engine.AddDataText("DeviceNetworkEvents", {}, "jsonl", R"({"RemoteUrl":"a"})").empty());
  CandidateSource source(engine.Source("DeviceNetworkEvents"), table, {"evil", "bad"});
  ScanRequest request;
  request.columns = {{"RemoteUrl", KqlType::kString}};
  request.prefilter = {{"evil"}};
  EXPECT_TRUE(source.Covers(request));
  request.prefilter = {{"other"}, {"bad", "evil"}};
  EXPECT_TRUE(source.Covers(request));
  request.prefilter = {{"evil", "other"}};
  EXPECT_FALSE(source.Covers(request));  // a record with only "other" is not among the candidates
  request.prefilter = {};
  EXPECT_FALSE(source.Covers(request));
  request.prefilter = {{"evil"}};
  request.columns.push_back({"DeviceName", KqlType::kString});
  EXPECT_FALSE(source.Covers(request));  // a column the pass did not read
}

// A pass that searched the literals only in some columns' values covers a scan only when the scan's literals come
// from those columns: a record with "evil" in another column is not among its candidates.
TEST(CandidateSourceTest, APassOverColumnValuesCoversOnlyScansOfThoseColumns) {
  auto table = std::make_shared<Table>();
  table->schema = {{"RemoteUrl", KqlType::kString}, {"DeviceName", KqlType::kString}};
  Engine engine;
  ASSERT_TRUE(engine.AddDataText("DeviceNetworkEvents", {}, "jsonl", R"({"RemoteUrl":"a"})").empty());
  CandidateSource source(engine.Source("DeviceNetworkEvents"), table, {"evil", "bad"}, {"RemoteUrl"});
  ScanRequest request;
  request.columns = {{"RemoteUrl", KqlType::kString}};
  request.prefilter = {{"evil"}};
  request.prefilter_columns = {{"RemoteUrl"}};
  EXPECT_TRUE(source.Covers(request));
  request.prefilter_columns = {{"DeviceName"}};
  EXPECT_FALSE(source.Covers(request));
  request.prefilter_columns = {{"RemoteUrl", "DeviceName"}};
  EXPECT_FALSE(source.Covers(request));
  request.prefilter_columns = {{}};  // literals that may lie anywhere in the record
  EXPECT_FALSE(source.Covers(request));
  request.prefilter_columns = {};
  EXPECT_FALSE(source.Covers(request));
  request.prefilter = {{"other"}, {"bad"}};
  request.prefilter_columns = {{"RemoteUrl"}, {"RemoteUrl"}};
  EXPECT_TRUE(source.Covers(request));
}

// The optimizer says which columns each disjunction's literals come from, and a shared plan searches column values
// only when every scan's chosen disjunction names its columns.
TEST(SharedScanPlanTest, LiteralsKeepTheColumnsTheyComeFrom) {
  Engine engine;
  ASSERT_TRUE(engine.AddDataText("DeviceNetworkEvents", {}, "jsonl", R"({"RemoteUrl":"a"})").empty());
  auto scans = engine::PlanScans(engine,
                                 "DeviceNetworkEvents | where RemoteUrl has 'evil.com' and (DeviceName == 'pc1' or "
                                 "InitiatingProcessFileName in~ ('a.exe', 'b.exe'))",
                                 0);
  ASSERT_TRUE(scans.has_value());
  ASSERT_EQ(scans->size(), 1u);
  const engine::PlannedScan& scan = (*scans)[0];
  ASSERT_EQ(scan.prefilter.size(), 2u);
  ASSERT_EQ(scan.prefilter_columns.size(), 2u);
  EXPECT_EQ(scan.prefilter_columns[0], std::vector<std::string>({"RemoteUrl"}));
  EXPECT_EQ(scan.prefilter_columns[1], std::vector<std::string>({"DeviceName", "InitiatingProcessFileName"}));
  engine::SharedScanPlan plan;
  ASSERT_TRUE(plan.Add(scan));
  EXPECT_EQ(plan.literals(), std::set<std::string>({"evil.com"}));
  EXPECT_EQ(plan.literal_columns(), std::set<std::string>({"RemoteUrl"}));
  engine::PlannedScan anywhere{"DeviceNetworkEvents", {{"RemoteUrl", KqlType::kString}}, {{"bad"}}, {{}}};
  ASSERT_TRUE(plan.Add(anywhere));
  EXPECT_TRUE(plan.literal_columns().empty());  // some literal may lie anywhere: whole records are searched
  engine::PlannedScan later{"DeviceNetworkEvents", {{"RemoteUrl", KqlType::kString}}, {{"worse"}}, {{"RemoteUrl"}}};
  ASSERT_TRUE(plan.Add(later));
  EXPECT_TRUE(plan.literal_columns().empty());
}

// A scan the candidates cover reads only their morsels (not the table's, most of them empty for it), and a shared
// pass hands its candidates over in full chunks, however many morsels of the table it read.
TEST(CandidateSourceTest, CoveredScansReadOnlyTheCandidatesFewMorsels) {
  std::string text;
  for (int row = 0; row < 3000; ++row) {
    text += "{\"RemoteUrl\":\"" + std::string(row % 3 == 0 ? "evil" : "fine") + std::to_string(row) + ".com\"}\n";
  }
  std::string path = testing::TempDir() + "candidate_morsels.jsonl";
  std::ofstream(path, std::ios::binary) << text;
  Engine engine;
  ASSERT_TRUE(engine.AddData({{path, "DeviceNetworkEvents"}}).empty());
  engine::SharedScanPlan plan;
  engine::PlannedScan scan{"DeviceNetworkEvents", {{"RemoteUrl", KqlType::kString}}, {{"evil"}}};
  ASSERT_TRUE(plan.Add(scan));
  QueryOptions options;
  options.threads = 2;
  options.chunk_size = 64;
  auto result = engine::RunSharedScan(engine, "DeviceNetworkEvents", plan, options);
  ASSERT_TRUE(result.candidates) << result.error;
  EXPECT_EQ(result.candidates->RowCount(), 1000u);
  EXPECT_EQ(result.candidates->chunks.size(), 16u);  // 15 full chunks of 64 and the rest
  for (size_t index = 0; index + 1 < result.candidates->chunks.size(); ++index) {
    EXPECT_EQ(result.candidates->chunks[index].size, 64u);
  }
  CandidateSource source(engine.Source("DeviceNetworkEvents"), result.candidates, {"evil"});
  ScanRequest covered;
  covered.columns = {{"RemoteUrl", KqlType::kString}};
  covered.prefilter = {{"evil"}};
  EXPECT_EQ(source.MorselCountFor(covered), 16u);
  ScanRequest uncovered = covered;
  uncovered.prefilter = {};
  EXPECT_EQ(source.MorselCountFor(uncovered), engine.Source("DeviceNetworkEvents")->MorselCount());
  QueryOptions query;
  query.source_overrides["DeviceNetworkEvents"] = std::make_shared<CandidateSource>(
      engine.Source("DeviceNetworkEvents"), result.candidates, std::set<std::string>{"evil"});
  QueryResult counted = engine.Query("DeviceNetworkEvents | where RemoteUrl has 'evil0' or RemoteUrl contains 'evil' "
                                     "| summarize n = count(), first = min(RemoteUrl)", query);
  ASSERT_TRUE(counted.ok) << counted.error;
  EXPECT_EQ(FormatGolden(counted.table.Rows()[0][0]), "1000");
  std::filesystem::remove(path);
}

/// Runs the same hunt with and without the shared pass and compares everything but timings and read statistics.
/// Returns the shared hunt's report.
HuntReport ExpectSameHunt(Engine& engine, const std::vector<SentinelRule>& rules, HuntOptions options) {
  options.shared_scan = false;
  HuntReport alone = RunHunt(engine, rules, options);
  options.shared_scan = true;
  HuntReport shared = RunHunt(engine, rules, options);
  for (AlertFormat format : {AlertFormat::kJsonl, AlertFormat::kSentinel}) {
    std::ostringstream alone_text, shared_text;
    WriteAlerts(alone, format, alone_text);
    WriteAlerts(shared, format, shared_text);
    EXPECT_EQ(alone_text.str(), shared_text.str());
  }
  EXPECT_EQ(alone.outcomes.size(), shared.outcomes.size());
  if (alone.outcomes.size() != shared.outcomes.size()) return shared;
  for (size_t i = 0; i < alone.outcomes.size(); ++i) {
    SCOPED_TRACE(rules[i].name);
    EXPECT_EQ(alone.outcomes[i].ran, shared.outcomes[i].ran);
    EXPECT_EQ(alone.outcomes[i].result_rows, shared.outcomes[i].result_rows);
    EXPECT_EQ(alone.outcomes[i].note, shared.outcomes[i].note);
    EXPECT_EQ(alone.outcomes[i].error, shared.outcomes[i].error);
    EXPECT_EQ(alone.outcomes[i].suppressed_alerts, shared.outcomes[i].suppressed_alerts);
  }
  EXPECT_EQ(alone.problems.size(), shared.problems.size());
  // The shared pass's time columns give the profile the queries give.
  EXPECT_EQ(alone.tables.size(), shared.tables.size());
  for (const auto& [table, profile] : alone.tables) {
    SCOPED_TRACE(table);
    const TableProfile& other = shared.tables[table];
    EXPECT_EQ(profile.events, other.events);
    EXPECT_EQ(profile.time_column, other.time_column);
    EXPECT_EQ(profile.min_ticks, other.min_ticks);
    EXPECT_EQ(profile.max_ticks, other.max_ticks);
  }
  // Both read every event of each table, whoever did the reading.
  for (const auto& [table, scan] : alone.scans) {
    EXPECT_TRUE(shared.scans.count(table)) << table;
    if (!shared.scans.count(table)) continue;
    EXPECT_EQ(scan.rows_read + scan.rows_prefiltered, shared.scans[table].rows_read + shared.scans[table].rows_prefiltered);
  }
  EXPECT_TRUE(alone.shared_tables.empty());
  return shared;
}

std::vector<SentinelRule> BuiltinPack() {
  std::vector<SentinelRule> rules;
  for (auto& loaded : kql::pack::LoadBuiltinRules()) {
    if (loaded.rule) rules.push_back(std::move(*loaded.rule));
  }
  return rules;
}

TEST(HuntSharedScanTest, BuiltinPackOverTheDemoDataRaisesTheSameAlerts) {
  Engine engine;
  ASSERT_TRUE(engine.AddData(std::string(KQLITE_SOURCE_DIR) + "/data/demo").empty());
  HuntOptions options;
  options.now_latest = true;
  options.threads = 2;
  std::vector<SentinelRule> rules = BuiltinPack();
  ASSERT_GT(rules.size(), 100u);
  HuntReport shared = ExpectSameHunt(engine, rules, options);
  EXPECT_EQ(shared.shared_tables, std::set<std::string>{"DeviceNetworkEvents"});
  EXPECT_FALSE(shared.alerts.empty());
}

TEST(HuntSharedScanTest, BuiltinPackOverTheAdminScenariosRaisesTheSameAlerts) {
  Engine engine;
  ASSERT_TRUE(engine
                  .AddData(std::string(KQLITE_SOURCE_DIR) + "/tests/data/rules/tacticalrmm_admin_scenarios.jsonl",
                           "DeviceNetworkEvents")
                  .empty());
  HuntOptions options;
  options.now_latest = true;
  options.threads = 1;
  ExpectSameHunt(engine, BuiltinPack(), options);
  options.apply_window = false;
  ExpectSameHunt(engine, BuiltinPack(), options);
  // More threads than cores: the rules' queries run four at a time, and the report is the same.
  options.threads = 4;
  ExpectSameHunt(engine, BuiltinPack(), options);
}

const char* kEvents =
    R"({"Timestamp":"2024-06-10T11:00:00Z","DeviceName":"ws1","RemoteUrl":"a.evil.example","InitiatingProcessFileName":"agent.exe","RemotePort":443}
{"Timestamp":"2024-06-10T09:00:00Z","DeviceName":"ws2","RemoteUrl":"b.evil.example","InitiatingProcessFileName":"agent.exe","RemotePort":443}
{"Timestamp":"2024-06-10T10:00:00Z","DeviceName":"ws3","RemoteUrl":"c.bad.example","InitiatingProcessFileName":"tool.exe","RemotePort":80}
{"Timestamp":"2024-06-10T10:30:00Z","DeviceName":"ws4","RemoteUrl":"benign.example","InitiatingProcessFileName":"Agent.EXE","RemotePort":443}
{"Timestamp":"2024-06-10T10:45:00Z","DeviceName":"ws5","RemoteUrl":"EVIL.example","InitiatingProcessFileName":"x\u002eexe","RemotePort":8080}
)";

SentinelRule Rule(const std::string& name, const std::string& query) {
  std::string yaml = "id: 11111111-2222-3333-4444-" + std::string(12 - std::min<size_t>(12, name.size()), '0') +
                     name.substr(0, 12) + "\nname: " + name +
                     "\ndescription: d\nseverity: Medium\nqueryFrequency: 1h\nqueryPeriod: 1d\nkind: Scheduled\n"
                     "triggerOperator: gt\ntriggerThreshold: 0\nquery: |\n  " +
                     query + "\n";
  RuleLoadResult loaded = LoadRuleText(yaml, name + ".yaml");
  EXPECT_TRUE(loaded.rule.has_value()) << name;
  return loaded.rule.value_or(SentinelRule{});
}

TEST(HuntSharedScanTest, MixedRulesExclusionsAndSelfJoinsMatchSeparateReads) {
  Engine engine;
  ASSERT_TRUE(engine.AddDataText("DeviceNetworkEvents", {}, "jsonl", kEvents).empty());
  std::vector<SentinelRule> rules = {
      Rule("aaa", "DeviceNetworkEvents | where RemoteUrl has 'evil'"),
      Rule("bbb", "DeviceNetworkEvents | where RemoteUrl has_any ('evil', 'bad') and InitiatingProcessFileName =~ "
                  "'agent.exe' | summarize n = count() by DeviceName"),
      Rule("ccc", "DeviceNetworkEvents | where RemotePort == 443"),  // no literal: reads the table itself
      Rule("ddd", "DeviceNetworkEvents | where InitiatingProcessFileName endswith '.exe' | join kind=inner "
                  "(DeviceNetworkEvents | where RemoteUrl contains 'bad' | project DeviceName) on DeviceName"),
      Rule("eee", "DeviceNetworkEvents | where RemoteUrl has 'evil' | where RemoteUrl !in "
                  "((DeviceNetworkEvents | where RemoteUrl has 'bad' | project RemoteUrl))"),
      Rule("fff", "DeviceNetworkEvents | where InitiatingProcessFileName == 'x.exe'"),  // a JSON escape spells it
  };
  HuntOptions options;
  options.now_ticks = ParseDateTime("2024-06-10T12:00:00Z");
  options.threads = 2;
  HuntReport report = ExpectSameHunt(engine, rules, options);
  EXPECT_EQ(report.shared_tables.size(), 1u);
  EXPECT_EQ(report.outcomes[0].result_rows, 3u);
  EXPECT_EQ(report.outcomes[2].result_rows, 3u);
  EXPECT_EQ(report.outcomes[5].result_rows, 1u);
  options.now_ticks = ParseDateTime("2024-06-10T10:40:00Z");
  ExpectSameHunt(engine, rules, options);  // a narrower window: only some candidates fall inside it
}

// A rule that finds nothing says how many events its window held. With the shared pass they are counted from the time
// columns it kept, without it by a query: the window [now - 1d, now] holds both of its ends, and nulls are not in it.
TEST(HuntSharedScanTest, TheWindowsEventCountHoldsItsEnds) {
  std::string events;
  for (const char* time : {"2024-06-09T11:59:59.9999999Z", "2024-06-09T12:00:00Z", "2024-06-10T00:00:00Z",
                           "2024-06-10T12:00:00Z", "2024-06-10T12:00:00.0000001Z"}) {
    events += std::string(R"({"Timestamp":")") + time + R"(","RemoteUrl":"a.example"})" + "\n";
  }
  events += R"({"Timestamp":null,"RemoteUrl":"b.example"})" "\n";
  Engine engine;
  ASSERT_TRUE(engine.AddDataText("DeviceNetworkEvents", {}, "jsonl", events).empty());
  // Two rules, so that they share a pass.
  std::vector<SentinelRule> rules = {Rule("quiet", "DeviceNetworkEvents | where RemoteUrl has 'nothing.here'"),
                                     Rule("hush", "DeviceNetworkEvents | where RemoteUrl has 'nor.here'")};
  HuntOptions options;
  options.now_ticks = ParseDateTime("2024-06-10T12:00:00Z");
  HuntReport report = ExpectSameHunt(engine, rules, options);
  EXPECT_EQ(report.outcomes[0].note,
            "no match among 3 events of DeviceNetworkEvents in the window [2024-06-09T12:00:00Z, "
            "2024-06-10T12:00:00Z]");
  EXPECT_EQ(report.shared_tables.count("DeviceNetworkEvents"), 1u);
}

// The shared pass also reads the time columns for the tables' profiles, planned before the profile says which
// column the windows use. Here the first records have no TimeGenerated, so the plan guesses Timestamp, but later
// records have one, so the windows use TimeGenerated: the rules get a pass of their own, with the same answers.
TEST(HuntSharedScanTest, AWrongTimeColumnGuessGivesTheSameAlerts) {
  std::string events;
  for (int row = 0; row < 1500; ++row) {
    std::string url = row % 100 == 7 ? "a.evil.example" : "host" + std::to_string(row) + ".example";
    std::string generated = row >= 1200 ? R"("TimeGenerated":"2024-06-10T11:)" + std::to_string(10 + row % 50) +
                                              R"(:00Z",)"
                                        : "";
    events += "{" + generated + R"("Timestamp":"2024-06-0)" + std::to_string(1 + row % 9) +
              R"(T10:00:00Z","DeviceName":"ws)" + std::to_string(row % 13) + R"(","RemoteUrl":")" + url + "\"}\n";
  }
  Engine engine;
  ASSERT_TRUE(engine.AddDataText("DeviceNetworkEvents", {}, "jsonl", events).empty());
  std::vector<SentinelRule> rules = {
      Rule("aaa", "DeviceNetworkEvents | where RemoteUrl has 'evil'"),
      Rule("bbb", "DeviceNetworkEvents | where RemoteUrl has_any ('evil', 'bad') | summarize n = count() by DeviceName"),
      Rule("ccc", "DeviceNetworkEvents | where RemoteUrl has 'nothing.here'"),
  };
  HuntOptions options;
  options.now_ticks = ParseDateTime("2024-06-10T12:00:00Z");
  options.threads = 1;  // the guess reads the first records
  HuntReport report = ExpectSameHunt(engine, rules, options);
  EXPECT_EQ(report.tables["DeviceNetworkEvents"].time_column, "TimeGenerated");
  EXPECT_EQ(report.outcomes[0].result_rows, 3u);  // rows 1207, 1307 and 1407 are in the window
  EXPECT_EQ(report.outcomes[2].note,
            "no match among 300 events of DeviceNetworkEvents in the window [2024-06-09T12:00:00Z, "
            "2024-06-10T12:00:00Z]");
}

TEST(HuntSharedScanTest, ExclusionsSuppressTheSameAlerts) {
  Engine engine;
  ASSERT_TRUE(engine.AddDataText("DeviceNetworkEvents", {}, "jsonl", kEvents).empty());
  std::vector<SentinelRule> rules = {
      Rule("aaa", "DeviceNetworkEvents | where RemoteUrl has 'evil'"),
      Rule("bbb", "DeviceNetworkEvents | where RemoteUrl has_any ('evil', 'bad')"),
  };
  ExclusionLoadResult exclusions = LoadExclusionText(
      "exclusions:\n  - id: evil\n    rules: ['*']\n    where: RemoteUrl has 'evil'\n    reason: r\n    owner: o\n",
      "exclusions.yaml");
  ASSERT_EQ(exclusions.set.entries.size(), 1u);
  HuntOptions options;
  options.now_ticks = ParseDateTime("2024-06-10T12:00:00Z");
  options.exclusions.push_back(exclusions.set);
  HuntReport report = ExpectSameHunt(engine, rules, options);
  EXPECT_EQ(report.shared_tables.size(), 1u);
  EXPECT_EQ(report.outcomes[0].result_rows, 0u);
  EXPECT_EQ(report.outcomes[0].suppressed_alerts, 1u);
  EXPECT_EQ(report.outcomes[1].result_rows, 1u);
}

}  // namespace
}  // namespace kql
