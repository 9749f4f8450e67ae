// Query limits (QueryOptions::max_memory_bytes, timeout, cancel): a query that would exhaust memory or run
// forever stops quickly with a clean error of its own kind, instead of std::bad_alloc or the OOM killer.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>

#include "kqlite/engine.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;

// 100,000 x 100,000 rows on one key: 10^10 output rows (it used to die with bad_alloc after 7.8 GB).
const char* kCrossJoin =
    "range x from 1 to 100000 step 1 | extend k = 1"
    " | join kind=inner (range y from 1 to 100000 step 1 | extend k = 1) on k | count";

QueryResult RunLimited(const std::string& text, uint64_t max_bytes,
                       std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                       const std::atomic<bool>* cancel = nullptr) {
  Engine engine;
  QueryOptions options;
  options.now_ticks = 0;
  options.threads = 2;
  options.max_memory_bytes = max_bytes;
  options.timeout = timeout;
  options.cancel = cancel;
  return engine.Query(text, options);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(QueryLimitsTest, ExplodingJoinStopsAtTheMemoryLimit) {
  const auto start = std::chrono::steady_clock::now();
  QueryResult result = RunLimited(kCrossJoin, 256 * kMiB);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.failure, QueryFailure::kMemoryLimit);
  EXPECT_EQ(result.error, "query exceeded the memory limit of 256 MiB in join output; raise --max-memory");
  EXPECT_LT(SecondsSince(start), 120.0);  // ASan on a loaded machine; about a second in a release build.
}

TEST(QueryLimitsTest, JoinBuildIsCharged) {
  QueryResult result = RunLimited(
      "range x from 1 to 10 step 1 | join kind=inner (range y from 1 to 400000 step 1 | extend x = y) on x"
      " | count",
      8 * kMiB);
  EXPECT_EQ(result.failure, QueryFailure::kMemoryLimit);
  EXPECT_NE(result.error.find("memory limit of 8 MiB in "), std::string::npos) << result.error;
}

TEST(QueryLimitsTest, MakeListIsCharged) {
  QueryResult result = RunLimited("range x from 1 to 2000000 step 1 | summarize l = make_list(x)", 64 * kMiB);
  EXPECT_EQ(result.failure, QueryFailure::kMemoryLimit);
  EXPECT_EQ(result.error, "query exceeded the memory limit of 64 MiB in summarize; raise --max-memory");
}

TEST(QueryLimitsTest, SmallQueriesFitAndAnswer) {
  QueryResult result = RunLimited(
      "range x from 1 to 1000 step 1 | extend k = x % 7 | summarize l = make_set(k), n = count() by k"
      " | join kind=inner (range y from 0 to 6 step 1 | extend k = y) on k | sort by k asc | count",
      4 * kMiB);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.failure, QueryFailure::kNone);
  ASSERT_EQ(result.table.chunks.size(), 1u);
  EXPECT_EQ(result.table.chunks[0].columns[0].ints()[0], 7);
}

TEST(QueryLimitsTest, TimeoutStopsARunawayQuery) {
  const auto start = std::chrono::steady_clock::now();
  QueryResult result = RunLimited(kCrossJoin, 0, std::chrono::milliseconds(300));
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.failure, QueryFailure::kTimeout);
  EXPECT_EQ(result.error, "query exceeded the time limit of 0.3 s; raise --timeout");
  EXPECT_LT(SecondsSince(start), 60.0);
}

TEST(QueryLimitsTest, CancelFlagStopsTheQuery) {
  std::atomic<bool> cancel{true};
  QueryResult result = RunLimited(kCrossJoin, 0, std::nullopt, &cancel);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.failure, QueryFailure::kCancelled);
  EXPECT_EQ(result.error, "query cancelled");
}

}  // namespace
}  // namespace kql
