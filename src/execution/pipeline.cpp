#include "execution/pipeline.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "execution/execution_context.h"
#include "execution/layer.h"

namespace kql::exec {
namespace {

/// A streaming sink's rows that may wait for earlier morsels: per partial before its worker waits, and over all
/// finished partials before a worker starts another morsel. Keeps a streamed result's memory flat.
constexpr uint64_t kMaxStreamBufferBytes = 8u << 20;

class ScanPipelineSource : public PipelineSource {
 public:
  ScanPipelineSource(std::shared_ptr<const TableSource> source, ScanRequest request, std::shared_ptr<ScanStats> stats)
      : source_(std::move(source)), request_(std::move(request)), stats_(std::move(stats)) {}

  size_t MorselCount() const override { return source_->MorselCountFor(request_); }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel) const override {
    return source_->OpenMorsel(morsel, request_, *stats_);
  }
  bool ScansInput() const override { return true; }
  uint64_t MorselBytes(size_t morsel) const override { return source_->MorselBytes(morsel); }
  bool Failed() const override { return stats_->failed(); }
  void CheckFailure() const override {
    if (stats_->failed()) throw QueryError(stats_->failure());
  }

 private:
  std::shared_ptr<const TableSource> source_;
  ScanRequest request_;
  std::shared_ptr<ScanStats> stats_;
};

/// Hands out one chunk of a materialised table.
class ChunkReader : public MorselReader {
 public:
  explicit ChunkReader(const DataChunk& chunk) : chunk_(chunk) {}
  bool Next(DataChunk& out) override {
    if (done_) return false;
    done_ = true;
    out = chunk_;
    return true;
  }

 private:
  const DataChunk& chunk_;
  bool done_ = false;
};

class TablePipelineSource : public PipelineSource {
 public:
  explicit TablePipelineSource(std::shared_ptr<const Table> table) : table_(std::move(table)) {}
  size_t MorselCount() const override { return table_->chunks.size(); }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel) const override {
    return std::make_unique<ChunkReader>(table_->chunks[morsel]);
  }

 private:
  std::shared_ptr<const Table> table_;
};

/// Shared state of one RunPipeline call: the morsel counter and the in-order combine queue.
class MorselScheduler {
 public:
  MorselScheduler(const PhysicalPipeline& pipeline, Sink& sink)
      : pipeline_(pipeline),
        sink_(sink),
        retained_name_(sink.RetainedInputName()),
        streams_(sink.Streams()),
        progress_(pipeline.limits != nullptr ? pipeline.limits->progress() : nullptr) {
    if (progress_ != nullptr) CountInput();
  }

  void Work() {
    try {
      std::vector<std::unique_ptr<StreamOperator>> operators;
      {
        // Serialises operator creation: expression executors may run sub-plans against the shared context.
        std::lock_guard<std::mutex> lock(create_mutex_);
        operators.reserve(pipeline_.operators.size());
        for (const auto& factory : pipeline_.operators) operators.push_back(factory->Create());
      }
      const size_t morsel_count = pipeline_.source->MorselCount();
      while (!stop_.load(std::memory_order_relaxed)) {
        if (streams_) {
          WaitForRoom();
          if (stop_.load()) break;
        }
        size_t morsel = next_morsel_.fetch_add(1);
        if (morsel >= morsel_count) break;
        if (pipeline_.source->Failed()) {
          stop_ = true;
          break;
        }
        auto partial = RunMorsel(morsel, operators);
        Complete(morsel, std::move(partial));
        if (progress_ != nullptr) ++progress_->morsels_done;
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      stop_ = true;
      ready_.notify_all();
    }
  }

  void RethrowIfFailed() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::unique_ptr<SinkPartial> RunMorsel(size_t morsel, std::vector<std::unique_ptr<StreamOperator>>& operators) {
    auto partial = sink_.NewPartial();
    auto reader = pipeline_.source->OpenMorsel(morsel);
    for (auto& op : operators) op->StartMorsel();
    DataChunk chunk;
    const uint64_t morsel_bytes = progress_ != nullptr ? pipeline_.source->MorselBytes(morsel) : 0;
    uint64_t bytes_counted = 0;
    bool ended = false;  // The reader has no more rows: it read its whole morsel.
    while (!stop_.load(std::memory_order_relaxed) && !(ended = !reader->Next(chunk))) {
      // Limits are checked once per chunk (cancel flag, deadline); the memory budget grows by the chunks a
      // retaining sink keeps (sort, materialised tables).
      if (pipeline_.limits != nullptr) pipeline_.limits->CheckInterrupt();
      if (progress_ != nullptr) {
        progress_->rows_read.fetch_add(chunk.ActiveCount(), std::memory_order_relaxed);
        CountBytes(*reader, morsel_bytes, bytes_counted);
      }
      bool exhausted = false;
      for (auto& op : operators) {
        if (chunk.ActiveCount() == 0) break;
        op->Execute(chunk);
        exhausted = exhausted || op->Exhausted();
      }
      if (chunk.ActiveCount() > 0) {
        if (pipeline_.limits != nullptr && retained_name_ != nullptr) {
          pipeline_.limits->Charge(ChunkBytes(chunk), retained_name_);
        }
        sink_.Consume(*partial, chunk);
        if (streams_) EmitInOrder(morsel, *partial);
      }
      if (exhausted) break;
    }
    if (progress_ != nullptr) {
      // A reader that ended has read its whole range (it may have skipped a line the previous range took, or read
      // past its range's end to finish a line: the progress counts the range).
      CountBytes(*reader, morsel_bytes, bytes_counted);
      if (ended && morsel_bytes > bytes_counted) {
        progress_->bytes_read.fetch_add(morsel_bytes - bytes_counted, std::memory_order_relaxed);
      }
    }
    return partial;
  }

  // Adds the bytes `reader` consumed since the last call to the progress (at most the morsel's size when known).
  void CountBytes(const MorselReader& reader, uint64_t morsel_bytes, uint64_t& bytes_counted) {
    uint64_t consumed = reader.BytesConsumed();
    if (morsel_bytes > 0) consumed = std::min(consumed, morsel_bytes);
    if (consumed <= bytes_counted) return;
    progress_->bytes_read.fetch_add(consumed - bytes_counted, std::memory_order_relaxed);
    bytes_counted = consumed;
  }

  // Folds partials into the sink strictly in morsel order; a partial that finishes early waits in pending_.
  void Complete(size_t morsel, std::unique_ptr<SinkPartial> partial) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (streams_ && morsel != next_combine_) pending_bytes_ += sink_.BufferedBytes(*partial);
    pending_.emplace(morsel, std::move(partial));
    while (!pending_.empty() && pending_.begin()->first == next_combine_) {
      auto node = pending_.extract(pending_.begin());
      if (streams_ && node.key() != morsel) pending_bytes_ -= sink_.BufferedBytes(*node.mapped());
      sink_.Combine(std::move(node.mapped()));
      ++next_combine_;
    }
    if (sink_.Satisfied()) stop_ = true;
    if (streams_) ready_.notify_all();
  }

  // Streaming sinks: the morsel next in order hands its rows on at once. Another morsel keeps its rows until it is
  // next, and its worker waits once they pass kMaxStreamBufferBytes. (The worker of the morsel next in order never
  // waits, so the morsels always advance.)
  void EmitInOrder(size_t morsel, SinkPartial& partial) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (morsel != next_combine_) {
      if (sink_.BufferedBytes(partial) < kMaxStreamBufferBytes) return;
      ready_.wait(lock, [&] { return morsel == next_combine_ || stop_.load(); });
      if (morsel != next_combine_) return;
    }
    sink_.Emit(partial);
    if (sink_.Satisfied()) {
      stop_ = true;
      ready_.notify_all();
    }
  }

  // Streaming sinks: no new morsel starts while finished ones wait with more than kMaxStreamBufferBytes of rows.
  void WaitForRoom() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return pending_bytes_ < kMaxStreamBufferBytes || stop_.load(); });
  }

  // Adds this pipeline's morsels, and the bytes of a scan's morsels where known, to the progress totals.
  void CountInput() {
    const size_t morsels = pipeline_.source->MorselCount();
    progress_->morsels_total += morsels;
    if (!pipeline_.source->ScansInput()) return;
    uint64_t bytes = 0;
    uint64_t unsized = 0;
    for (size_t morsel = 0; morsel < morsels; ++morsel) {
      const uint64_t size = pipeline_.source->MorselBytes(morsel);
      bytes += size;
      if (size == 0) ++unsized;
    }
    progress_->bytes_total += bytes;
    progress_->morsels_unsized += unsized;
  }

  const PhysicalPipeline& pipeline_;
  Sink& sink_;
  const char* retained_name_;
  const bool streams_;
  ScanProgress* const progress_;
  std::atomic<size_t> next_morsel_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::mutex create_mutex_;
  std::map<size_t, std::unique_ptr<SinkPartial>> pending_;
  size_t next_combine_ = 0;
  uint64_t pending_bytes_ = 0;  ///< Streaming sinks: rows of finished morsels waiting for earlier ones.
  std::condition_variable ready_;
  std::exception_ptr error_;
};

}  // namespace

std::unique_ptr<PipelineSource> MakeScanSource(std::shared_ptr<const TableSource> source, ScanRequest request,
                                               std::shared_ptr<ScanStats> stats) {
  return std::make_unique<ScanPipelineSource>(std::move(source), std::move(request), std::move(stats));
}

std::unique_ptr<PipelineSource> MakeTableSource(std::shared_ptr<const Table> table) {
  return std::make_unique<TablePipelineSource>(std::move(table));
}

Table RunPipeline(const PhysicalPipeline& pipeline, Sink& sink, int threads) {
  sink.ChargeTo(pipeline.limits);
  MorselScheduler scheduler(pipeline, sink);
  const size_t morsels = pipeline.source->MorselCount();
  const size_t workers = std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), std::max<size_t>(morsels, 1));
  if (workers <= 1) {
    scheduler.Work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    for (size_t worker = 1; worker < workers; ++worker) pool.emplace_back([&scheduler] { scheduler.Work(); });
    scheduler.Work();
    for (auto& thread : pool) thread.join();
  }
  scheduler.RethrowIfFailed();
  pipeline.source->CheckFailure();
  return sink.Finalize();
}

}  // namespace kql::exec
