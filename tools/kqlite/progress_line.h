// ProgressLine: while a query runs longer than a second and stderr is a terminal, a line on stderr that shows how
// far its scans are (percent of the input, bytes and rows read, their rates, estimated time left), redrawn a few
// times a second and erased when the query ends. Nothing is written when stderr is not a terminal.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "kqlite/engine.h"
namespace kql::cli {

/// What the line shows: a copy of vector::ScanProgress's counters.
struct ProgressCounts {
  uint64_t morsels_done = 0;
  uint64_t morsels_total = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  /// The input's size, when every morsel's size is known (plain files); 0 otherwise.
  uint64_t bytes_total = 0;
};

class ProgressLine {
 public:
  /// Starts watching `options.progress`, which it sets to its own counters, unless stderr is not a terminal,
  /// `enabled` is false or KQLITE_PROGRESS=0 (KQLITE_PROGRESS=1 forces it on, and KQLITE_PROGRESS_AFTER_MS
  /// changes the one second it waits, for tests).
  ProgressLine(QueryOptions& options, bool enabled);
  ~ProgressLine() { Stop(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Erases the line and stops watching (before anything else is printed about the query).
  void Stop();

  /// The line for these counters after `elapsed` (exposed for tests).
  /// The share done and the time left come from the bytes when the input's size is known, else from the morsels.
  static std::string Format(const ProgressCounts& counts, std::chrono::duration<double> elapsed);

 private:
  void Run();

  vector::ScanProgress progress_;
  std::chrono::milliseconds first_delay_{1000};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stop_ = false;
};

}  // namespace kql::cli
