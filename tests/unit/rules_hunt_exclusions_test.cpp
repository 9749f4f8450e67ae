// Exclusions: the shipped TacticalRMM known-good file over sample admin scenarios — each entry suppresses exactly
// its scenario's events, the seed rule keeps alerting on everything else, and broken entries are reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "rules/exclusion.h"
#include "rules/name_glob.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "rules/watchlist.h"
#include "types/datetime.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

const std::string kSource = KQLITE_SOURCE_DIR;
const std::string kExclusionsPath = kSource + "/rules/exclusions/tacticalrmm_known_good.yaml";
const std::string kDataPath = kSource + "/tests/data/rules/tacticalrmm_admin_scenarios.jsonl";
const std::string kSeedRulePath = kSource + "/rules/builtin/rmm/tacticalrmm_network_connection.yaml";

class HuntExclusionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(engine_.AddData(kDataPath, "DeviceNetworkEvents").empty());
    ExclusionLoadResult loaded = LoadExclusionFile(kExclusionsPath);
    for (const auto& problem : loaded.problems) ADD_FAILURE() << problem.code << " " << problem.message;
    set_ = loaded.set;
    for (const auto& spec : set_.watchlists) {
      for (const auto& problem : RegisterWatchlist(engine_, spec)) ADD_FAILURE() << problem;
    }
    RuleLoadResult rule = LoadRuleFile(kSeedRulePath);
    ASSERT_TRUE(rule.rule.has_value());
    seed_ = *rule.rule;
  }

  /// ReportIds of the events a predicate matches, with the file's named lists bound.
  std::set<int64_t> Matched(const std::string& predicate) {
    QueryOptions options;
    options.now_ticks = *ParseDateTime("2024-06-10T12:00:00Z");
    QueryResult result =
        engine_.Query(NamedListLets(set_) + "DeviceNetworkEvents\n| where (\n" + predicate + "\n)\n| project ReportId",
                      options);
    EXPECT_TRUE(result.ok) << result.error << (result.diagnostics.empty() ? "" : result.diagnostics[0].message);
    std::set<int64_t> ids;
    for (const auto& row : result.table.Rows()) ids.insert(row[0].int_value);
    return ids;
  }

  /// Device names in the seed rule's alert rows.
  static std::set<std::string> AlertDevices(const HuntReport& report) {
    std::set<std::string> devices;
    for (const auto& alert : report.alerts) {
      for (const auto& row : alert.rows) {
        for (const auto& [name, value] : row) {
          if (name == "DeviceName") devices.insert(value.string_value.substr(0, value.string_value.find('.')));
        }
      }
    }
    return devices;
  }

  HuntReport Hunt(std::vector<ExclusionSet> exclusions) {
    HuntOptions options;
    options.now_ticks = *ParseDateTime("2024-06-10T12:00:00Z");
    options.threads = 1;
    options.exclusions = std::move(exclusions);
    return RunHunt(engine_, {seed_}, options);
  }

  Engine engine_;
  ExclusionSet set_;
  SentinelRule seed_;
};

TEST_F(HuntExclusionsTest, FileLoadsFiveScopedEntries) {
  ASSERT_EQ(set_.entries.size(), 5u);
  ASSERT_EQ(set_.lists.size(), 2u);
  ASSERT_EQ(set_.watchlists.size(), 1u);
  for (const auto& entry : set_.entries) {
    EXPECT_TRUE(ExclusionScopes(entry, seed_)) << entry.id;
    EXPECT_FALSE(entry.reason.empty()) << entry.id;
    EXPECT_FALSE(entry.owner.empty()) << entry.id;
  }
}

TEST_F(HuntExclusionsTest, EachEntryMatchesExactlyItsScenario) {
  const std::map<std::string, std::set<int64_t>> expected = {
      {"trmm-scheduled-maintenance", {1001, 1002}}, {"trmm-remote-powershell-eventlog", {2001}},
      {"trmm-internal-network-discovery", {3001, 3002}}, {"trmm-backup-copy", {4001}},
      {"trmm-agent-update", {5001}}};
  for (const auto& entry : set_.entries) {
    auto it = expected.find(entry.id);
    ASSERT_NE(it, expected.end()) << entry.id;
    EXPECT_EQ(Matched(entry.where), it->second) << entry.id;
  }
}

TEST_F(HuntExclusionsTest, SeedRuleWithoutExclusionsAlertsOnEveryAgentConnection) {
  HuntReport report = Hunt({});
  ASSERT_EQ(report.alerts.size(), 1u);  // SingleAlert: Sentinel's default grouping.
  EXPECT_EQ(AlertDevices(report), (std::set<std::string>{"srv-app-01", "srv-app-02", "ws-100", "ws-inv-01", "ws-inv-02",
                                                         "srv-file-01", "srv-file-02", "ws-upd-01", "ws-upd-02",
                                                         "ws-evil-01"}));
}

TEST_F(HuntExclusionsTest, EachEntryAloneSuppressesOnlyItsDevices) {
  const std::map<std::string, std::set<std::string>> removed = {
      {"trmm-scheduled-maintenance", {"srv-app-01"}}, {"trmm-remote-powershell-eventlog", {}},
      {"trmm-internal-network-discovery", {"ws-inv-01"}}, {"trmm-backup-copy", {"srv-file-01"}},
      {"trmm-agent-update", {"ws-upd-01"}}};
  std::set<std::string> all = AlertDevices(Hunt({}));
  for (const auto& entry : set_.entries) {
    ExclusionSet single = set_;
    single.entries = {entry};
    HuntReport report = Hunt({single});
    std::set<std::string> expected;
    std::set_difference(all.begin(), all.end(), removed.at(entry.id).begin(), removed.at(entry.id).end(),
                        std::inserter(expected, expected.end()));
    EXPECT_EQ(AlertDevices(report), expected) << entry.id;
    ASSERT_EQ(report.outcomes[0].exclusions.size(), 1u) << entry.id;
    EXPECT_EQ(report.outcomes[0].exclusions[0].suppressed_events, Matched(entry.where).size()) << entry.id;
    EXPECT_TRUE(report.problems.empty()) << entry.id;
  }
}

TEST_F(HuntExclusionsTest, AllEntriesLeaveTheTruePositives) {
  HuntReport report = Hunt({set_});
  EXPECT_EQ(AlertDevices(report),
            (std::set<std::string>{"srv-app-02", "ws-100", "ws-inv-02", "srv-file-02", "ws-upd-02", "ws-evil-01"}));
  uint64_t suppressed = 0;
  for (const auto& effect : report.outcomes[0].exclusions) suppressed += effect.suppressed_events;
  EXPECT_EQ(suppressed, 7u);
  EXPECT_EQ(report.outcomes[0].suppressed_alerts, 0u);  // Still one (smaller) alert.
}

TEST_F(HuntExclusionsTest, ExpiredEntryWarnsAndIsNotApplied) {
  ExclusionSet expired = set_;
  expired.entries = {set_.entries[3]};  // trmm-backup-copy
  expired.entries[0].expires = "2024-01-01";
  expired.entries[0].expires_ticks = ParseDateTime("2024-01-01");
  HuntReport report = Hunt({expired});
  EXPECT_TRUE(AlertDevices(report).count("srv-file-01"));
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].code, "KQLX021");
}

TEST_F(HuntExclusionsTest, PredicateThatDoesNotBindIsReportedWithItsPosition) {
  ExclusionLoadResult loaded = LoadExclusionText(
      "exclusions:\n"
      "  - id: typo\n"
      "    rules: ['*']\n"
      "    where: RemoteIp == '10.0.0.1'\n"
      "    reason: r\n"
      "    owner: o\n",
      "typo.yaml");
  ASSERT_EQ(loaded.set.entries.size(), 1u);
  HuntReport report = Hunt({loaded.set});
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].code, "KQLX020");
  EXPECT_EQ(report.problems[0].path, "typo.yaml");
  EXPECT_EQ(report.problems[0].line, 4);
  EXPECT_EQ(report.problems[0].col, 12);
  EXPECT_NE(report.problems[0].message.find("RemoteIp"), std::string::npos);
  EXPECT_EQ(report.alerts.size(), 1u);  // The rule still ran, without the entry.
  EXPECT_TRUE(report.outcomes[0].exclusions.empty());
}

TEST(ExclusionGlobTest, MatchesCaseInsensitively) {
  EXPECT_TRUE(GlobMatch("*TacticalRMM*", "Remote Management and Monitoring tool - tacticalrmm - Network"));
  EXPECT_TRUE(GlobMatch("d5559c16-*", "d5559c16-6959-4974-8051-c39d52886862"));
  EXPECT_FALSE(GlobMatch("*AnyDesk*", "TacticalRMM"));
  EXPECT_TRUE(GlobMatch("a?c", "ABC"));
}

TEST(ExclusionLoadTest, ReportsMissingFieldsAndBadDates) {
  ExclusionLoadResult loaded = LoadExclusionText(
      "lists:\n  bad-name: [1.2.3.4]\nexclusions:\n  - id: a\n    rules: '*'\n"
      "  - id: b\n    rules: '*'\n    where: true\n    expires: someday\n",
      "x.yaml");
  std::set<std::string> codes;
  for (const auto& problem : loaded.problems) codes.insert(problem.code);
  EXPECT_TRUE(codes.count("KQLX003"));  // list name is not an identifier
  EXPECT_TRUE(codes.count("KQLX008"));  // a: no where
  EXPECT_TRUE(codes.count("KQLX011"));  // b: bad expiry
  ASSERT_EQ(loaded.set.entries.size(), 1u);
  EXPECT_TRUE(ExclusionExpired(loaded.set.entries[0], 0));  // an unreadable expiry is never applied
}

}  // namespace
}  // namespace kql
