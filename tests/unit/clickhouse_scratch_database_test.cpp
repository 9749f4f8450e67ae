// Scratch database names of `kqlite test --clickhouse`: they name the owning run (host, pid, start time), parse
// back, and only a run on this host whose pid is gone (or reused by a later process) counts as ended.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include "clickhouse/scratch_database.h"

namespace kql::clickhouse {
namespace {

TEST(ScratchDatabase, NameNamesTheOwnerAndParsesBack) {
  ScratchOwner owner{"build-host-7", 41234, 1765065600};
  EXPECT_EQ(ScratchDatabaseName(owner, 12), "kqlite_test_build-host-7_41234_1765065600_12");
  std::optional<ScratchOwner> parsed = ParseScratchDatabaseName("kqlite_test_build-host-7_41234_1765065600_12");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, "build-host-7");
  EXPECT_EQ(parsed->pid, 41234);
  EXPECT_EQ(parsed->started, 1765065600);
  // Names of other shapes are nobody's: the pid_counter names of older versions, other databases, junk.
  for (const char* name : {"kqlite_test_41234_3", "kqlite_test__41234_1765065600_1", "kqlite_test_h_0_1765065600_1",
                           "kqlite_test_h_12x_1765065600_1", "kqlite_test_h_1_2_3_4", "kqlite_test_h_1_2_",
                           "kq_demo", "default", "kqlite_test_h_-5_1765065600_1"}) {
    EXPECT_FALSE(ParseScratchDatabaseName(name)) << name;
  }
}

TEST(ScratchDatabase, CurrentOwnerIsThisProcessOnASanitisedHost) {
  ScratchOwner owner = CurrentScratchOwner();
  EXPECT_EQ(owner.pid, static_cast<int64_t>(getpid()));
  EXPECT_GT(owner.started, 1700000000);
  ASSERT_FALSE(owner.host.empty());
  EXPECT_LE(owner.host.size(), 32u);
  EXPECT_EQ(owner.host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"),
            std::string::npos);
  std::optional<ScratchOwner> parsed = ParseScratchDatabaseName(ScratchDatabaseName(owner, 0));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->host, owner.host);
}

TEST(ScratchDatabase, OnlyARunThatProvablyEndedIsEnded) {
  ScratchOwner self = CurrentScratchOwner();
  EXPECT_FALSE(ScratchOwnerEnded(self, self.host));  // alive, started before the run
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  ScratchOwner gone{self.host, child, self.started};
  EXPECT_TRUE(ScratchOwnerEnded(gone, self.host));
  EXPECT_FALSE(ScratchOwnerEnded(gone, self.host + "-elsewhere"));  // another host: cannot tell
  // This live process, but the run began before it started: its pid was reused, the run ended.
  ScratchOwner reused{self.host, self.pid, self.started - 3600};
  EXPECT_TRUE(ScratchOwnerEnded(reused, self.host));
}

}  // namespace
}  // namespace kql::clickhouse
