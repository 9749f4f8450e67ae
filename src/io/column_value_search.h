// ColumnValueSearch: the test "does one of these columns' values contain one of these literals?" on raw flat JSON
// records, answered from the values alone. A block of records is searched at once: one SIMD pass finds the
// columns' keys and the line ends, the string values are gathered, and one literal search runs over them. It only
// answers "no" when that is certain; anything unusual about a record (a repeated or oddly placed key, a value that
// is not a plain string, an escape that could spell a literal) makes the answer "maybe".
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/literal_set.h"
#include "io/quoted_key_finder.h"
#include "io/layer.h"

namespace kql::io {

class ColumnValueSearch {
 public:
  /// `literals_lower`: JSON-encoded lowercase literals (as LiteralPrefilter encodes them); `columns`: the key
  /// names whose values are searched; `marker_keys`: further key names whose occurrences MarkersIn lists.
  ColumnValueSearch(const std::vector<std::string>& literals_lower, std::vector<std::string> columns,
                    const std::vector<std::string>& marker_keys);
  /// False when the keys cannot be searched this way (then nothing else may be called).
  bool usable() const { return finder_.usable(); }

  /// Searches the records (lines) of `block`, which must stay unchanged while records inside it are asked about.
  void PrepareBlock(std::string_view block);
  /// False only when `record` (a line, possibly trimmed) certainly has none of the literals in the columns' values.
  bool MayMatch(std::string_view record);
  /// Sets `found` to the occurrences of the marker keys that could be keys (see QuotedKeyFinder::FindAll), with
  /// their index among the marker keys and their offset in `record`.
  void MarkersIn(std::string_view record, std::vector<QuotedKeyFinder::Occurrence>& found);
  /// The offsets in the block prepared last of every '\n' in it, in order.
  const std::vector<size_t>& BlockNewlines() const { return newlines_; }

 private:
  // A record (line) of the block prepared last: [begin, end) in the block, its key occurrences, its answer.
  struct BlockRecord {
    size_t begin = 0;
    size_t end = 0;
    uint32_t first = 0;  // Index of its first occurrence in block_occurrences_.
    uint32_t last = 0;
    bool may_match = false;
  };
  // The block record that holds `record` wholly, or null.
  const BlockRecord* InBlock(std::string_view record);
  // Appends the record's column values to values_ (with the record's index in value_records_); false when the
  // answer is "maybe" without a search.
  bool GatherValues(std::string_view record, size_t base, const QuotedKeyFinder::Occurrence* first,
                    const QuotedKeyFinder::Occurrence* last, uint32_t index);

  QuotedKeyFinder finder_;
  uint32_t columns_ = 0;
  LiteralSet set_;
  std::string_view block_;
  std::vector<BlockRecord> records_;
  size_t next_record_ = 0;  // Where the next lookup starts (records are asked about in order).
  std::vector<QuotedKeyFinder::Occurrence> block_occurrences_;
  std::vector<size_t> newlines_;
  std::string values_;                   // The gathered values, each followed by '\n'.
  std::vector<size_t> value_starts_;     // Offset in values_ of each gathered value.
  std::vector<uint32_t> value_records_;  // The record each gathered value belongs to.
  std::vector<LiteralSet::Occurrence> value_matches_;
  std::vector<QuotedKeyFinder::Occurrence> record_occurrences_;
};

}  // namespace kql::io
