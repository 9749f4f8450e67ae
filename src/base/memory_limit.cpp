#include "base/memory_limit.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace kql {

namespace {

// A limit file's value: a byte count, or nullopt for "max", unreadable or malformed files.
std::optional<uint64_t> ReadLimit(const std::string& path) {
  std::ifstream file(path);
  std::string text;
  if (!file || !std::getline(file, text)) return std::nullopt;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 19) {
    return std::nullopt;
  }
  uint64_t value = std::stoull(text);
  // cgroup v1 writes "no limit" as the largest page-aligned 63-bit value.
  if (value >= (uint64_t{1} << 62)) return std::nullopt;
  return value;
}

void KeepSmaller(std::optional<uint64_t>& smallest, std::optional<uint64_t> value) {
  if (value && (!smallest || *value < *smallest)) smallest = value;
}

}  // namespace

std::optional<uint64_t> CgroupMemoryLimit(const std::string& root, const std::string& self_cgroup) {
  std::optional<uint64_t> limit;
  KeepSmaller(limit, ReadLimit(root + "/memory.max"));
  KeepSmaller(limit, ReadLimit(root + "/memory/memory.limit_in_bytes"));
  // Without a cgroup namespace the process's own group lies below the root: "0::/system.slice/x.service".
  std::ifstream groups(self_cgroup);
  std::string line;
  while (std::getline(groups, line)) {
    if (line.rfind("0::/", 0) == 0 && line.size() > 4 && line.find("..") == std::string::npos) {
      KeepSmaller(limit, ReadLimit(root + line.substr(3) + "/memory.max"));
    }
  }
  return limit;
}

uint64_t DefaultMemoryBudget() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  std::optional<uint64_t> available;
  if (pages > 0 && page_size > 0) available = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
  KeepSmaller(available, CgroupMemoryLimit());
  return available ? *available / 4 * 3 : 0;
}

}  // namespace kql
