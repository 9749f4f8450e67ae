#include "io/column_value_search.h"

#include <algorithm>

#include "io/literal_prefilter.h"
#include "io/layer.h"

namespace kql::io {

namespace {

std::vector<std::string> Concatenated(std::vector<std::string> first, const std::vector<std::string>& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

// A block whose values hold more literal occurrences than this (a literal common in the data) is answered record
// by record instead.
constexpr size_t kMaxValueMatches = 1 << 16;
// How many key occurrences ahead PrepareBlock asks for the bytes of (a few records' keys).
constexpr size_t kPrefetchOccurrences = 16;

}  // namespace

ColumnValueSearch::ColumnValueSearch(const std::vector<std::string>& literals_lower, std::vector<std::string> columns,
                                     const std::vector<std::string>& marker_keys)
    : finder_(Concatenated(columns, marker_keys)),
      columns_(static_cast<uint32_t>(columns.size())),
      set_(literals_lower, LiteralSet::Matcher::kBest) {}

bool ColumnValueSearch::GatherValues(std::string_view record, size_t base, const QuotedKeyFinder::Occurrence* first,
                                     const QuotedKeyFinder::Occurrence* last, uint32_t index) {
  for (uint32_t column = 0; column < columns_; ++column) {
    QuotedKeyFinder::Value value = finder_.ValueOf(record, base, first, last, column);
    if (value.kind == QuotedKeyFinder::ValueKind::kUncertain) return false;
    if (value.kind == QuotedKeyFinder::ValueKind::kNull || value.text.empty()) continue;
    // An escape that could spell an ASCII byte of a literal leaves the answer to the parser.
    if (value.escapes && LiteralPrefilter::HasHidingEscape(value.text)) return false;
    value_starts_.push_back(values_.size());
    value_records_.push_back(index);
    values_.append(value.text);
    // Literals hold no control byte, so no literal matches across the line end between two values.
    values_.push_back('\n');
  }
  return true;
}

void ColumnValueSearch::PrepareBlock(std::string_view block) {
  block_ = block;
  records_.clear();
  next_record_ = 0;
  block_occurrences_.clear();
  newlines_.clear();
  values_.clear();
  value_starts_.clear();
  value_records_.clear();
  finder_.FindAll(block, block_occurrences_, &newlines_);
  // Complete lines only: the block may end inside the last one, which is then asked about on its own.
  size_t begin = 0;
  size_t occurrence = 0;
  size_t prefetched = 0;  // Occurrences whose bytes were asked for ahead of their reading.
  for (size_t line_end : newlines_) {
    // The values are read where the keys are, scattered over the block: ask for the next records' keys early.
    for (; prefetched < block_occurrences_.size() && prefetched < occurrence + kPrefetchOccurrences; ++prefetched) {
      __builtin_prefetch(block.data() + block_occurrences_[prefetched].offset);
    }
    BlockRecord entry;
    entry.begin = begin;
    entry.end = line_end;
    while (occurrence < block_occurrences_.size() && block_occurrences_[occurrence].offset < begin) ++occurrence;
    entry.first = static_cast<uint32_t>(occurrence);
    while (occurrence < block_occurrences_.size() && block_occurrences_[occurrence].offset < line_end) ++occurrence;
    entry.last = static_cast<uint32_t>(occurrence);
    std::string_view line = block.substr(begin, line_end - begin);
    entry.may_match = !GatherValues(line, begin, block_occurrences_.data() + entry.first,
                                    block_occurrences_.data() + entry.last, static_cast<uint32_t>(records_.size()));
    records_.push_back(entry);
    begin = line_end + 1;
  }
  if (values_.empty()) return;
  if (set_.FindAll(values_, kMaxValueMatches, value_matches_)) {
    for (const LiteralSet::Occurrence& match : value_matches_) {
      auto value = std::upper_bound(value_starts_.begin(), value_starts_.end(), size_t{match.begin}) - 1;
      records_[value_records_[static_cast<size_t>(value - value_starts_.begin())]].may_match = true;
    }
    return;
  }
  // The set does not search with Hyperscan yet (or the values match too often): value by value.
  for (size_t index = 0; index < value_starts_.size(); ++index) {
    BlockRecord& entry = records_[value_records_[index]];
    if (entry.may_match) continue;
    const size_t begin = value_starts_[index];
    const size_t end = index + 1 < value_starts_.size() ? value_starts_[index + 1] : values_.size();
    entry.may_match = set_.ContainedIn(std::string_view(values_).substr(begin, end - begin));
  }
}

const ColumnValueSearch::BlockRecord* ColumnValueSearch::InBlock(std::string_view record) {
  const char* block_end = block_.data() + block_.size();
  if (block_.empty() || record.data() < block_.data() || record.data() + record.size() > block_end) return nullptr;
  const auto begin = static_cast<size_t>(record.data() - block_.data());
  const size_t end = begin + record.size();
  auto holds = [&](const BlockRecord& entry) { return entry.begin <= begin && end <= entry.end; };
  // Records are asked about in order: look from the last answer on, else search.
  for (size_t index = next_record_; index < records_.size() && records_[index].begin <= begin; ++index) {
    if (holds(records_[index])) {
      next_record_ = index;
      return &records_[index];
    }
  }
  auto after = std::upper_bound(records_.begin(), records_.end(), begin,
                                [](size_t offset, const BlockRecord& entry) { return offset < entry.begin; });
  if (after == records_.begin() || !holds(*(after - 1))) return nullptr;
  return &*(after - 1);
}

bool ColumnValueSearch::MayMatch(std::string_view record) {
  if (const BlockRecord* entry = InBlock(record)) return entry->may_match;
  record_occurrences_.clear();
  finder_.FindAll(record, record_occurrences_);
  const size_t gathered = value_starts_.size();
  const size_t gathered_bytes = values_.size();
  bool certain = GatherValues(record, 0, record_occurrences_.data(),
                              record_occurrences_.data() + record_occurrences_.size(), 0);
  std::string_view values = std::string_view(values_).substr(gathered_bytes);
  bool may_match = !certain || (!values.empty() && set_.ContainedIn(values));
  // Leave the block's gathered values as they were.
  values_.resize(gathered_bytes);
  value_starts_.resize(gathered);
  value_records_.resize(gathered);
  return may_match;
}

void ColumnValueSearch::MarkersIn(std::string_view record, std::vector<QuotedKeyFinder::Occurrence>& found) {
  found.clear();
  const QuotedKeyFinder::Occurrence* first = nullptr;
  const QuotedKeyFinder::Occurrence* last = nullptr;
  size_t base = 0;
  if (const BlockRecord* entry = InBlock(record)) {
    first = block_occurrences_.data() + entry->first;
    last = block_occurrences_.data() + entry->last;
    base = static_cast<size_t>(record.data() - block_.data());
  } else {
    record_occurrences_.clear();
    finder_.FindAll(record, record_occurrences_);
    first = record_occurrences_.data();
    last = first + record_occurrences_.size();
  }
  for (const auto* occurrence = first; occurrence != last; ++occurrence) {
    if (occurrence->key < columns_ || occurrence->offset < base || occurrence->offset - base >= record.size()) continue;
    found.push_back({occurrence->key - columns_, occurrence->offset - base});
  }
}

}  // namespace kql::io
