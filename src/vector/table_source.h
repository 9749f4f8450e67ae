// TableSource: where a scan's rows come from (files via io/, or in-memory tables). A source splits its input
// into morsels (byte ranges of files, row ranges of tables) that threads scan independently.
#pragma once
#include <atomic>
#include <map>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "types/schema.h"
#include "vector/data_chunk.h"
#include "vector/table.h"
#include "vector/layer.h"

namespace kql::vector {

class SideScan;

/// What a scan wants from a source.
struct ScanRequest {
  /// The columns to produce, in this order; names are source column names, types are what the query expects
  /// (values are converted to these types, or counted as bad records when they cannot be).
  Schema columns;
  /// Literal prefilter: a row can only match when, for every inner list, its raw record bytes contain at least
  /// one of the strings (ASCII case-insensitive). Sources may use it to skip records without parsing them;
  /// they must never drop a record that could match (e.g. records with JSON escapes fall back to parsing).
  std::vector<std::vector<std::string>> prefilter;
  /// Parallel to `prefilter` (or empty): per inner list, the columns whose values must hold one of its strings; a
  /// list with no columns may match anywhere in the record. Sources may search only those values.
  std::vector<std::vector<std::string>> prefilter_columns;
  /// Rows per produced chunk.
  size_t chunk_size = kDefaultChunkSize;
  /// Optional second output of the same pass (see SideScan); sources and readers without support ignore it.
  std::shared_ptr<SideScan> side;
};

/// One record that could not be read, for the skipped-records report.
struct SkippedRecord {
  std::string file;
  uint64_t line = 0;         ///< 1-based line; 0 when not yet resolved from byte_offset.
  uint64_t column = 0;       ///< 1-based column within the line, when known.
  uint64_t byte_offset = 0;  ///< Offset of the record in the (decompressed) file; readers that split files
                             ///< into byte ranges record it and resolve `line` when reporting.
  std::string reason;
  /// Set when the record was kept and only one value could not be converted (its cell is null): the column, its
  /// type and the value's text (shortened). Empty for records that were skipped or cut.
  std::string bad_column;
  std::string bad_type;
  std::string bad_text;
};

/// Values of one column that could not be converted (their cells are null; the rows are kept).
struct BadValueCount {
  uint64_t count = 0;
  std::string type;
  SkippedRecord example;  ///< The first one reported.
};

/// Thread-safe counters and problems collected while scanning.
class ScanStats {
 public:
  /// Counts records read successfully (after the prefilter).
  void AddRowsRead(uint64_t rows) { rows_read_ += rows; }
  /// Counts records the prefilter skipped without parsing.
  void AddRowsPrefiltered(uint64_t rows) { rows_prefiltered_ += rows; }
  /// Counts bytes scanned.
  void AddBytes(uint64_t bytes) { bytes_read_ += bytes; }
  /// Records a skipped (malformed) record; keeps the first kMaxKept details.
  void AddSkipped(SkippedRecord record);
  /// Marks the scan as failed (strict mode, unreadable file); the message is kept.
  void Fail(std::string message);
  /// Whether `version` is the version of `file` this scan saw first (its morsels must all read one version of each
  /// file: one that changes while it is read gives a mix of both).
  bool SameVersion(const std::string& file, const std::string& version);

  uint64_t rows_read() const { return rows_read_; }
  uint64_t rows_prefiltered() const { return rows_prefiltered_; }
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t skipped_count() const { return skipped_count_; }
  std::vector<SkippedRecord> skipped() const;
  /// Per column, the values that could not be converted (counted among skipped_count()).
  std::map<std::string, BadValueCount> bad_values() const;
  bool failed() const { return failed_; }
  std::string failure() const;

  /// When true, the first malformed record fails the scan (--strict).
  bool strict = false;
  static constexpr size_t kMaxKept = 100;

 private:
  std::atomic<uint64_t> rows_read_{0};
  std::atomic<uint64_t> rows_prefiltered_{0};
  std::atomic<uint64_t> bytes_read_{0};
  std::atomic<uint64_t> skipped_count_{0};
  std::atomic<bool> failed_{false};
  mutable std::mutex mutex_;
  std::vector<SkippedRecord> skipped_;
  std::map<std::string, BadValueCount> bad_values_;
  std::map<std::string, std::string> versions_;  // By file: the version the first morsel read.
  std::string failure_;
};

/// A second output of one pass over a source: a reader that supports it also parses every record of its morsel
/// (whatever the prefilter says) for these columns, as a scan of just these columns without a prefilter would, and
/// hands the morsel's rows over once it has read the whole morsel. Its problems go to its own stats, never strict.
/// The hunt reads every record's time columns this way during its shared pass instead of in a pass of their own.
class SideScan {
 public:
  explicit SideScan(Schema columns) : columns_(std::move(columns)) {}
  const Schema& columns() const { return columns_; }
  ScanStats& stats() { return stats_; }
  /// Called by a reader that has read all of morsel `morsel`, with its side rows.
  void AddMorsel(size_t morsel, std::vector<DataChunk> chunks);
  /// The side rows of morsels 0 .. morsel_count-1 in morsel order, or nullopt when a reader did not provide some
  /// morsel's rows (it does not support side scans, or the pass stopped early).
  std::optional<Table> Take(size_t morsel_count);

 private:
  Schema columns_;
  ScanStats stats_;
  std::mutex mutex_;
  std::map<size_t, std::vector<DataChunk>> morsels_;
};

/// Produces chunks for one morsel. Not thread-safe; one thread owns it.
class MorselReader {
 public:
  virtual ~MorselReader() = default;
  /// Fills `out` with the next chunk (columns as requested, dense, no selection). Returns false when done.
  virtual bool Next(DataChunk& out) = 0;
  /// Input bytes this reader has taken from its file so far (decompressed for compressed files), for progress
  /// reports; 0 for readers that do not read files.
  virtual uint64_t BytesConsumed() const { return 0; }
};

/// A scannable table.
class TableSource {
 public:
  virtual ~TableSource() = default;
  /// The table's name as queries refer to it.
  virtual const std::string& name() const = 0;
  /// The full schema of the source.
  virtual const Schema& schema() const = 0;
  /// Number of independent morsels (at least 1 for a non-empty source; may be 0 when empty).
  virtual size_t MorselCount() const = 0;
  /// The morsels a scan with this request reads: morsels past it yield nothing for that request (a source that
  /// serves different requests from different data says so here). MorselCount() by default.
  virtual size_t MorselCountFor(const ScanRequest& request) const { return MorselCount(); }
  /// Opens one morsel for scanning. Problems go to stats; the reader then simply ends.
  virtual std::unique_ptr<MorselReader> OpenMorsel(size_t morsel, const ScanRequest& request,
                                                   ScanStats& stats) const = 0;
  /// Bytes of input one morsel covers (its byte range of a plain file), for progress reports; 0 when unknown
  /// (compressed files, in-memory tables), in which case no total size is known.
  virtual uint64_t MorselBytes(size_t morsel) const { return 0; }
  /// Fills in `line` for skipped records this source reported by byte offset only (line == 0); the engine calls
  /// it once after the scan, before reporting. Records of other sources are left alone.
  virtual void ResolveLines(std::vector<SkippedRecord>& records) const {}
};

/// A TableSource over a materialised Table; each chunk is one morsel.
class MemoryTableSource : public TableSource {
 public:
  /// Wraps a table under a name. The table is shared because several scans may read it.
  MemoryTableSource(std::string name, std::shared_ptr<const Table> table);
  const std::string& name() const override { return name_; }
  const Schema& schema() const override { return table_->schema; }
  size_t MorselCount() const override { return table_->chunks.size(); }
  std::unique_ptr<MorselReader> OpenMorsel(size_t morsel, const ScanRequest& request,
                                           ScanStats& stats) const override;

 private:
  std::string name_;
  std::shared_ptr<const Table> table_;
};

}  // namespace kql::vector
