// ProgressLine: while a query runs longer than a second and stderr is a terminal, a line on stderr that shows how
// far its scans are (percent of the input's parts, rows read, rate, estimated time left), redrawn a few times a
// second and erased when the query ends. Nothing is written when stderr is not a terminal.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "kqlite/engine.h"
namespace kql::cli {

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
  static std::string Format(uint64_t morsels_done, uint64_t morsels_total, uint64_t rows,
                            std::chrono::duration<double> elapsed);

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
