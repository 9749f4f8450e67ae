#include "vector/table_source.h"
#include "vector/layer.h"

namespace kql::vector {

void ScanStats::AddSkipped(SkippedRecord record) {
  ++skipped_count_;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!record.bad_column.empty()) {
    BadValueCount& count = bad_values_[record.bad_column];
    if (count.count++ == 0) {
      count.type = record.bad_type;
      count.example = record;
    }
  }
  if (skipped_.size() < kMaxKept) skipped_.push_back(std::move(record));
}

std::map<std::string, BadValueCount> ScanStats::bad_values() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bad_values_;
}

void ScanStats::Fail(std::string message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!failed_) failure_ = std::move(message);
  failed_ = true;
}

bool ScanStats::SameVersion(const std::string& file, const std::string& version) {
  std::lock_guard<std::mutex> lock(mutex_);
  return versions_.emplace(file, version).first->second == version;
}

std::vector<SkippedRecord> ScanStats::skipped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return skipped_;
}

std::string ScanStats::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

namespace {

/// Reads one chunk of a memory table, projecting the requested columns (converting types where they differ).
class MemoryMorselReader : public MorselReader {
 public:
  MemoryMorselReader(const DataChunk& chunk, const Schema& schema, const ScanRequest& request, ScanStats& stats)
      : chunk_(chunk), schema_(schema), request_(request), stats_(stats) {}

  bool Next(DataChunk& out) override {
    if (done_) return false;
    done_ = true;
    out = DataChunk();
    out.size = chunk_.size;
    out.selection = chunk_.selection;
    for (const auto& wanted : request_.columns) {
      auto index = FindColumn(schema_, wanted.name);
      if (!index) {
        ColumnVector missing(wanted.type);
        missing.Resize(chunk_.size);
        out.columns.push_back(std::move(missing));
        continue;
      }
      const ColumnVector& source = chunk_.columns[*index];
      if (source.type() == wanted.type || PhysicalTypeOf(source.type()) == PhysicalTypeOf(wanted.type)) {
        out.columns.push_back(source);
      } else {
        ColumnVector converted(wanted.type);
        converted.Resize(chunk_.size);
        for (size_t row = 0; row < chunk_.size; ++row) {
          Value value = source.GetValue(row);
          if (!value.is_null) converted.SetValue(row, value);
        }
        out.columns.push_back(std::move(converted));
      }
    }
    stats_.AddRowsRead(out.ActiveCount());
    return out.size > 0;
  }

 private:
  const DataChunk& chunk_;
  const Schema& schema_;
  const ScanRequest& request_;
  ScanStats& stats_;
  bool done_ = false;
};

}  // namespace

MemoryTableSource::MemoryTableSource(std::string name, std::shared_ptr<const Table> table)
    : name_(std::move(name)), table_(std::move(table)) {}

void SideScan::AddMorsel(size_t morsel, std::vector<DataChunk> chunks) {
  std::lock_guard<std::mutex> lock(mutex_);
  morsels_[morsel] = std::move(chunks);
}

std::optional<Table> SideScan::Take(size_t morsel_count) {
  std::lock_guard<std::mutex> lock(mutex_);
  Table table;
  table.schema = columns_;
  for (size_t morsel = 0; morsel < morsel_count; ++morsel) {
    auto found = morsels_.find(morsel);
    if (found == morsels_.end()) return std::nullopt;
    for (DataChunk& chunk : found->second) table.chunks.push_back(std::move(chunk));
  }
  morsels_.clear();
  return table;
}

std::unique_ptr<MorselReader> MemoryTableSource::OpenMorsel(size_t morsel, const ScanRequest& request,
                                                            ScanStats& stats) const {
  return std::make_unique<MemoryMorselReader>(table_->chunks[morsel], table_->schema, request, stats);
}

}  // namespace kql::vector
