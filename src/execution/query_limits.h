// QueryLimits: the resource limits of one query, shared by all its operators and sub-plans: a memory budget that
// materialising operators charge once per chunk or per block (never per row), a deadline and a cancel flag that
// pipelines check once per chunk. Exceeding a limit throws QueryLimitError, which the engine reports cleanly.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "execution/execution_context.h"
#include "vector/data_chunk.h"
#include "vector/scan_progress.h"
#include "execution/layer.h"

namespace kql::exec {

/// Why a query was stopped by its limits.
enum class LimitKind { kMemory, kTimeout, kCancelled };

/// A QueryError raised by a limit (the CLI maps each kind to its own exit code).
class QueryLimitError : public QueryError {
 public:
  QueryLimitError(LimitKind kind, const std::string& message) : QueryError(message), kind_(kind) {}
  LimitKind kind() const { return kind_; }

 private:
  LimitKind kind_;
};

class QueryLimits {
 public:
  using Clock = std::chrono::steady_clock;

  /// max_bytes 0: no memory limit; timeout nullopt: no deadline; cancel null: not cancellable.
  QueryLimits(uint64_t max_bytes, std::optional<std::chrono::milliseconds> timeout,
              const std::atomic<bool>* cancel);

  /// Adds `bytes` held by `where` ("join build", "sort", ...) to the query's memory; throws QueryLimitError
  /// (kMemory) when the total passes the budget. Also checks the deadline and the cancel flag.
  void Charge(uint64_t bytes, const char* where);
  /// Returns bytes that an operator freed.
  void Release(uint64_t bytes);
  /// Throws QueryLimitError when the query was cancelled or ran past its deadline.
  void CheckInterrupt() const;

  uint64_t used_bytes() const { return used_.load(std::memory_order_relaxed); }
  uint64_t max_bytes() const { return max_bytes_; }

  /// Counters the query's pipelines advance (null: nobody watches).
  void SetProgress(ScanProgress* progress) { progress_ = progress; }
  ScanProgress* progress() const { return progress_; }

 private:
  uint64_t max_bytes_;
  std::optional<std::chrono::milliseconds> timeout_;
  std::optional<Clock::time_point> deadline_;
  const std::atomic<bool>* cancel_;
  std::atomic<uint64_t> used_{0};
  ScanProgress* progress_ = nullptr;
};

/// Approximate bytes a dense copy of the chunk's active rows holds: cell payloads, validity and string bytes.
uint64_t ChunkBytes(const DataChunk& chunk);

/// "4 GiB", "512 MiB", "1.5 GiB": a byte count as the user would write it.
std::string FormatBytes(uint64_t bytes);

}  // namespace kql::exec
