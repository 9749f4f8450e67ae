// ScanProgress: counters that a query's pipelines advance as they read (morsels planned and finished, rows and bytes
// read), for a progress line on a terminal (kqlite query). Reading them from another thread is safe at any time.
#pragma once
#include <atomic>
#include <cstdint>

#include "vector/layer.h"

namespace kql::vector {

struct ScanProgress {
  /// Morsels of every pipeline started so far (a later pipeline, such as a join's probe side, adds its own).
  std::atomic<uint64_t> morsels_total{0};
  std::atomic<uint64_t> morsels_done{0};
  /// Rows the pipelines' sources produced, before any filter.
  std::atomic<uint64_t> rows_read{0};
  /// Input bytes the pipelines' sources read so far (file bytes; decompressed for compressed files).
  std::atomic<uint64_t> bytes_read{0};
  /// Input bytes of the morsels counted in morsels_total whose size is known, and how many morsels have no known
  /// size: the total is the input's size only while morsels_unsized is 0.
  std::atomic<uint64_t> bytes_total{0};
  std::atomic<uint64_t> morsels_unsized{0};
};

}  // namespace kql::vector
