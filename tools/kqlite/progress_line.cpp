#include "progress_line.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace kql::cli {
namespace {

constexpr auto kRedraw = std::chrono::milliseconds(250);

// 1234567 -> "1.2M", 52300 -> "52.3k", 999 -> "999".
std::string Compact(double value) {
  char text[32];
  if (value >= 1e9) {
    std::snprintf(text, sizeof text, "%.1fG", value / 1e9);
  } else if (value >= 1e6) {
    std::snprintf(text, sizeof text, "%.1fM", value / 1e6);
  } else if (value >= 1e3) {
    std::snprintf(text, sizeof text, "%.1fk", value / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.0f", value);
  }
  return text;
}

}  // namespace

ProgressLine::ProgressLine(QueryOptions& options, bool enabled) {
  const char* forced = std::getenv("KQLITE_PROGRESS");
  if (forced != nullptr && std::string(forced) == "0") enabled = false;
  const bool terminal = isatty(STDERR_FILENO) != 0 || (forced != nullptr && std::string(forced) == "1");
  if (!enabled || !terminal) return;
  // KQLITE_PROGRESS_AFTER_MS: how long a query runs before the line appears (tests shorten the second).
  if (const char* after = std::getenv("KQLITE_PROGRESS_AFTER_MS")) {
    first_delay_ = std::chrono::milliseconds(std::atoi(after));
  }
  options.progress = &progress_;
  thread_ = std::thread([this] { Run(); });
}

void ProgressLine::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  stop_signal_.notify_all();
  thread_.join();
}

std::string ProgressLine::Format(const ProgressCounts& counts, std::chrono::duration<double> elapsed) {
  const double seconds = std::max(elapsed.count(), 1e-3);
  std::string line = "kqlite: ";
  double fraction = 0;
  if (counts.bytes_total > 0) {
    fraction = std::min(1.0, static_cast<double>(counts.bytes) / static_cast<double>(counts.bytes_total));
  } else if (counts.morsels_total > 0) {
    fraction = static_cast<double>(counts.morsels_done) / static_cast<double>(counts.morsels_total);
  }
  char percent[16];
  std::snprintf(percent, sizeof percent, "%.0f%%", std::floor(fraction * 100));
  line += std::string(percent) + " of the input";
  if (counts.bytes > 0) {
    line += " · " + Compact(static_cast<double>(counts.bytes)) + "B";
    if (counts.bytes_total > 0) line += " of " + Compact(static_cast<double>(counts.bytes_total)) + "B";
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f MB/s", static_cast<double>(counts.bytes) / seconds / 1e6);
    line += std::string(" · ") + rate;
  }
  line += " · " + Compact(static_cast<double>(counts.rows)) + " rows";
  line += " · " + Compact(static_cast<double>(counts.rows) / seconds) + " rows/s";
  if (fraction > 0 && fraction < 1) {
    const double left = seconds * (1 - fraction) / fraction;
    char eta[32];
    if (left >= 60) {
      std::snprintf(eta, sizeof eta, "%.0fm%02.0fs", std::floor(left / 60), std::fmod(left, 60));
    } else {
      std::snprintf(eta, sizeof eta, "%.0fs", std::ceil(left));
    }
    line += std::string(" · ETA ") + eta;
  }
  return line;
}

void ProgressLine::Run() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  bool drawn = false;
  auto next = start + first_delay_;
  while (!stop_signal_.wait_until(lock, next, [&] { return stop_; })) {
    ProgressCounts counts;
    counts.morsels_done = progress_.morsels_done.load();
    counts.morsels_total = progress_.morsels_total.load();
    counts.rows = progress_.rows_read.load();
    counts.bytes = progress_.bytes_read.load();
    if (progress_.morsels_unsized.load() == 0) counts.bytes_total = progress_.bytes_total.load();
    std::string line = Format(counts, std::chrono::steady_clock::now() - start);
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    drawn = true;
    next += kRedraw;
  }
  if (drawn) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace kql::cli
