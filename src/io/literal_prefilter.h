// LiteralPrefilter: decides from a record's raw bytes, before parsing, whether it can possibly satisfy a scan's
// prefilter (ScanRequest::prefilter). It only ever answers "cannot match" when that is certain.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/column_value_search.h"
#include "io/literal_set.h"
#include "io/layer.h"

namespace kql::io {

/// A conjunction of disjunctions of literals, searched ASCII case-insensitively in raw record bytes.
class LiteralPrefilter {
 public:
  /// How literals appear in the raw bytes.
  enum class Encoding { kJson, kCsv };

  LiteralPrefilter() = default;
  /// Prepares the literals. Lists that cannot be searched safely in raw bytes (an empty literal, non-ASCII bytes,
  /// characters the encoding may write differently) are dropped, so they never reject a record.
  LiteralPrefilter(const std::vector<std::vector<std::string>>& conjuncts, Encoding encoding);
  /// With `markers`: exact strings (not literals: they never make a record match) that the block search of the
  /// first list searched in one pass also locates, for MarkersIn.
  LiteralPrefilter(const std::vector<std::vector<std::string>>& conjuncts, Encoding encoding,
                   const std::vector<std::string>& markers);
  /// With `columns` (parallel to `conjuncts`; give it only for flat JSON objects, whose top-level keys are the
  /// columns): the first list too long to search literal by literal whose literals all come from named columns is
  /// searched only in those columns' string values, found by their keys, rather than in the whole record. Markers
  /// that are quoted key names (`"key"`) are then located by the same key search.
  LiteralPrefilter(const std::vector<std::vector<std::string>>& conjuncts, Encoding encoding,
                   const std::vector<std::string>& markers, const std::vector<std::vector<std::string>>& columns);

  /// True when there is nothing to check.
  bool empty() const { return conjuncts_.empty(); }
  /// False only when the raw record certainly lacks every literal of some list (for a list searched in column
  /// values: those values lack them and hold no escape that could spell one).
  bool MayMatch(std::string_view record) const;
  /// True when a JSON record certainly fails the prefilter, escapes considered: a list searched in the column values
  /// answers for their escapes itself; a list searched in the whole record fails only when the record also holds no
  /// escape that could spell a literal (ShowsNoHidingEscape, else HasHidingEscape).
  bool Rejects(std::string_view record) const;
  /// True when a block prepared from `record` on would let MayMatch answer it and the records after it from one
  /// search: some list is searched in one pass with Hyperscan, or in column values, and `record` lies outside the
  /// block prepared last.
  bool WantsBlock(std::string_view record) const;
  /// Searches `block` (consecutive records in memory that stays unchanged while they are asked about) once for
  /// the lists searched in one pass (or in column values); MayMatch then answers records lying wholly inside it from
  /// the occurrences found. The answers are the same as searching record by record.
  void PrepareBlock(std::string_view block);
  /// True when a JSON record contains an escape that could spell an ASCII literal differently (\u0000-\u007F,
  /// \/), so the record must be parsed rather than prefiltered.
  static bool HasHidingEscape(std::string_view record);
  /// True when the block prepared last covers the JSON record and its search showed it free of the escapes
  /// HasHidingEscape looks for (then HasHidingEscape(record) is false). False says nothing.
  bool ShowsNoHidingEscape(std::string_view record) const;
  /// The exact strings a JSON prefilter's block search also locates after the caller's markers: "\u000" to
  /// "\u007" (the prefixes of \u0000-\u007F), and "\/" when a literal of `conjuncts` holds a '/'.
  static std::vector<std::string> JsonEscapeMarkers(const std::vector<std::vector<std::string>>& conjuncts);
  /// One marker found in a record: its index in the constructor's `markers` (`key`) and its offset in the record.
  using MarkerAt = QuotedKeyFinder::Occurrence;
  /// Sets `found` to the markers lying wholly inside `record` and returns true, when the block prepared last covers
  /// the record and its search located the markers, or when the column-value search locates them (quoted keys: it
  /// lists the occurrences that could be keys, those a colon or a space follows); false otherwise (the caller then
  /// searches the record itself).
  bool MarkersIn(std::string_view record, std::vector<MarkerAt>& found) const;
  /// The offsets of every '\n' in the block prepared last, in order, when its search found them (a search of the
  /// column values does); else null.
  const std::vector<size_t>* BlockNewlines() const;

 private:
  // True when the block prepared last covers `record` and its search located the markers.
  bool BlockLocatesMarkersOf(std::string_view record) const;
  // The first conjunct index that fails for `record` (conjuncts_.size(): none fails).
  size_t FirstFailing(std::string_view record) const;

  std::vector<std::vector<std::string>> conjuncts_;  // Lowercased, encoded literals.
  // Parallel to conjuncts_: a one-pass search for lists too long to search literal by literal (else empty).
  std::vector<LiteralSet> sets_;
  // The block prepared last, and parallel to sets_, its occurrences (when block_found_ says they were listed).
  std::string_view block_;
  std::vector<std::vector<LiteralSet::Occurrence>> block_occurrences_;
  std::vector<char> block_found_;
  // The set that also locates the markers (an index into sets_; -1: none), and the block's marker occurrences.
  int marker_set_ = -1;
  std::vector<LiteralSet::Occurrence> block_markers_;
  // The caller's markers are the first caller_markers_ of that set; the escapes (JSON only) follow them.
  uint32_t caller_markers_ = 0;

  // The list searched in column values (values_conjunct_ indexes conjuncts_ and sets_; its set stays unused), and
  // whether it also locates the caller's markers. A reader asks one prefilter about one record at a time.
  std::unique_ptr<ColumnValueSearch> values_search_;
  size_t values_conjunct_ = 0;
  bool values_find_markers_ = false;
};

/// Finds `needle_lower` (already lowercase ASCII) in `haystack`, ASCII case-insensitively.
bool ContainsCaseInsensitive(std::string_view haystack, std::string_view needle_lower);

}  // namespace kql::io
