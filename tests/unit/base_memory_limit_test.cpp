// Unit tests of the default memory budget's control-group limit, on fake /sys/fs/cgroup trees.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/memory_limit.h"

namespace kql {
namespace {

void Write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(MemoryLimitTest, ReadsCgroupLimitsAndIgnoresUnlimitedOnes) {
  std::filesystem::path root = std::filesystem::path(testing::TempDir()) / "fake_cgroup";
  std::filesystem::remove_all(root);
  std::string self = (root / "self_cgroup").string();
  Write(self, "0::/\n");
  EXPECT_EQ(CgroupMemoryLimit(root.string(), self), std::nullopt);  // nothing readable
  Write(root / "memory.max", "max\n");
  EXPECT_EQ(CgroupMemoryLimit(root.string(), self), std::nullopt);  // v2, unlimited
  Write(root / "memory.max", "536870912\n");
  EXPECT_EQ(CgroupMemoryLimit(root.string(), self), 536870912u);  // v2 container: 512 MiB
  // The process's own group, below the root (no cgroup namespace), when it is smaller.
  Write(self, "0::/system.slice/hunt.service\n");
  Write(root / "system.slice/hunt.service/memory.max", "268435456\n");
  EXPECT_EQ(CgroupMemoryLimit(root.string(), self), 268435456u);
  std::filesystem::remove_all(root);
  // cgroup v1: "unlimited" is a huge page-aligned number; a real limit counts.
  Write(root / "memory/memory.limit_in_bytes", "9223372036854771712\n");
  EXPECT_EQ(CgroupMemoryLimit(root.string(), self), std::nullopt);
  Write(root / "memory/memory.limit_in_bytes", "1073741824\n");
  EXPECT_EQ(CgroupMemoryLimit(root.string(), self), 1073741824u);
  Write(root / "memory/memory.limit_in_bytes", "garbage\n");
  EXPECT_EQ(CgroupMemoryLimit(root.string(), self), std::nullopt);
  std::filesystem::remove_all(root);
  EXPECT_GT(DefaultMemoryBudget(), 0u);
}

}  // namespace
}  // namespace kql
