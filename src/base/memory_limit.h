// The memory a kqlite process may use by default: three quarters of what it can have — the machine's physical
// memory, or less when a control group (a container, a systemd slice) limits the process.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace kql {

/// The memory limit of this process's control group, read under `root` (normally /sys/fs/cgroup): cgroup v2's
/// memory.max at the root (a container's own namespace) and at the process's group (/proc/self/cgroup), or v1's
/// memory/memory.limit_in_bytes. Nullopt when none is set ("max", or v1's "unlimited" value) or none is readable.
std::optional<uint64_t> CgroupMemoryLimit(const std::string& root = "/sys/fs/cgroup",
                                          const std::string& self_cgroup = "/proc/self/cgroup");

/// Three quarters of the smaller of physical memory and the control group's limit; 0 when neither is known.
uint64_t DefaultMemoryBudget();

}  // namespace kql
