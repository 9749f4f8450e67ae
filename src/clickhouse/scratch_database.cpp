#include "clickhouse/scratch_database.h"

#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>

#include "clickhouse/column_storage.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {
namespace {

constexpr std::string_view kPrefix = "kqlite_test_";
constexpr size_t kMaxHostLength = 32;

std::optional<int64_t> ParseCount(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::string ThisHost() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "unknown";
  std::string host;
  for (const char* c = name; *c && host.size() < kMaxHostLength; ++c)
    host.push_back(std::isalnum(static_cast<unsigned char>(*c)) ? *c : '-');
  return host.empty() ? "unknown" : host;
}

/// The Unix time (seconds) a live process started, from /proc; nullopt when it cannot be read.
std::optional<int64_t> ProcessStartTime(int64_t pid) {
  std::ifstream stat_file("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  // After the command name come fields 3 (state) onwards; field 22 is the start time in clock ticks after boot.
  std::istringstream fields(stat.substr(name_end + 1));
  std::string field;
  for (int index = 3; index <= 22; ++index) {
    if (!(fields >> field)) return std::nullopt;
  }
  std::optional<int64_t> ticks = ParseCount(field);
  std::ifstream proc_stat("/proc/stat");
  std::optional<int64_t> boot;
  for (std::string line; std::getline(proc_stat, line);) {
    if (line.rfind("btime ", 0) == 0) boot = ParseCount(line.substr(6));
  }
  long ticks_per_second = sysconf(_SC_CLK_TCK);
  if (!ticks || !boot || ticks_per_second <= 0) return std::nullopt;
  return *boot + *ticks / ticks_per_second;
}

}  // namespace

ScratchOwner CurrentScratchOwner() {
  return ScratchOwner{ThisHost(), static_cast<int64_t>(getpid()), static_cast<int64_t>(std::time(nullptr))};
}

std::string ScratchDatabaseName(const ScratchOwner& owner, uint64_t serial) {
  return std::string(kPrefix) + owner.host + "_" + std::to_string(owner.pid) + "_" + std::to_string(owner.started) +
         "_" + std::to_string(serial);
}

std::optional<ScratchOwner> ParseScratchDatabaseName(const std::string& name) {
  if (name.rfind(kPrefix, 0) != 0) return std::nullopt;
  std::vector<std::string_view> parts;
  std::string_view rest = std::string_view(name).substr(kPrefix.size());
  for (size_t at = 0;;) {
    size_t next = rest.find('_', at);
    parts.push_back(rest.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) break;
    at = next + 1;
  }
  if (parts.size() != 4 || parts[0].empty() || !ParseCount(parts[3])) return std::nullopt;
  std::optional<int64_t> pid = ParseCount(parts[1]);
  std::optional<int64_t> started = ParseCount(parts[2]);
  if (!pid || *pid == 0 || !started) return std::nullopt;
  return ScratchOwner{std::string(parts[0]), *pid, *started};
}

bool ScratchOwnerEnded(const ScratchOwner& owner, const std::string& host) {
  if (owner.host != host || owner.pid <= 0 || owner.pid > INT32_MAX) return false;
  if (kill(static_cast<pid_t>(owner.pid), 0) != 0 && errno == ESRCH) return true;
  // The pid is alive: the owner only if that process started before the run did (a second of clock rounding).
  std::optional<int64_t> start = ProcessStartTime(owner.pid);
  return start && *start > owner.started + 1;
}

std::vector<std::string> DropEndedScratchDatabases(const HttpConnection& server) {
  std::vector<std::string> dropped;
  const std::string host = ThisHost();
  std::istringstream names(server.Execute("SELECT name FROM system.databases WHERE name LIKE 'kqlite%'", "", false));
  for (std::string name; std::getline(names, name);) {
    std::optional<ScratchOwner> owner = ParseScratchDatabaseName(name);
    if (!owner || !ScratchOwnerEnded(*owner, host)) continue;
    server.Execute("DROP DATABASE IF EXISTS " + QuoteIdentifier(name), "", false);
    dropped.push_back(name);
  }
  return dropped;
}

}  // namespace kql::clickhouse
