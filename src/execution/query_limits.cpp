#include "execution/query_limits.h"

#include <cstdio>
#include "execution/layer.h"

namespace kql::exec {

QueryLimits::QueryLimits(uint64_t max_bytes, std::optional<std::chrono::milliseconds> timeout,
                         const std::atomic<bool>* cancel)
    : max_bytes_(max_bytes), timeout_(timeout), cancel_(cancel) {
  if (timeout_) deadline_ = Clock::now() + *timeout_;
}

void QueryLimits::Charge(uint64_t bytes, const char* where) {
  const uint64_t total = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (max_bytes_ != 0 && total > max_bytes_) {
    throw QueryLimitError(LimitKind::kMemory, "query exceeded the memory limit of " + FormatBytes(max_bytes_) +
                                                  " in " + where + "; raise --max-memory");
  }
  CheckInterrupt();
}

void QueryLimits::Release(uint64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

void QueryLimits::CheckInterrupt() const {
  if (cancel_ != nullptr && cancel_->load(std::memory_order_relaxed)) {
    throw QueryLimitError(LimitKind::kCancelled, "query cancelled");
  }
  if (deadline_ && Clock::now() > *deadline_) {
    const double seconds = static_cast<double>(timeout_->count()) / 1000.0;
    char text[64];
    std::snprintf(text, sizeof text, "%g", seconds);
    throw QueryLimitError(LimitKind::kTimeout,
                          std::string("query exceeded the time limit of ") + text + " s; raise --timeout");
  }
}

uint64_t ChunkBytes(const DataChunk& chunk) {
  const uint64_t rows = chunk.ActiveCount();
  uint64_t bytes = 0;
  for (const ColumnVector& column : chunk.columns) {
    switch (column.physical_type()) {
      case PhysicalType::kInt64:
      case PhysicalType::kDouble: bytes += rows * 9; break;
      case PhysicalType::kDynamic: bytes += rows * 49; break;  // A shared pointer and a small value.
      case PhysicalType::kString: {
        bytes += rows * 17;
        if (column.size() < chunk.size) break;
        const std::string_view* strings = column.strings();
        chunk.ForEachActive([&](size_t row) { bytes += strings[row].size(); });
        break;
      }
    }
  }
  return bytes;
}

std::string FormatBytes(uint64_t bytes) {
  constexpr uint64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;
  char text[64];
  if (bytes >= kGiB) {
    if (bytes % kGiB == 0) return std::to_string(bytes / kGiB) + " GiB";
    std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / kGiB);
    return text;
  }
  if (bytes >= kMiB) {
    if (bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / kMiB);
    return text;
  }
  return std::to_string(bytes) + " bytes";
}

}  // namespace kql::exec
