#include "io/literal_prefilter.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#include "io/layer.h"
#endif

namespace kql::io {

namespace {

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsLowered(const char* text, std::string_view needle_lower) {
  for (size_t index = 0; index < needle_lower.size(); ++index) {
    if (ToLowerAscii(text[index]) != needle_lower[index]) return false;
  }
  return true;
}

// Encodes a literal the way it appears raw in a record; returns false when raw search would be unsafe.
bool EncodeLiteral(std::string_view literal, LiteralPrefilter::Encoding encoding, std::string* out) {
  if (literal.empty()) return false;
  out->clear();
  for (char c : literal) {
    auto byte = static_cast<unsigned char>(c);
    // Non-ASCII letters may differ in case beyond ASCII folding; control characters are always escaped.
    if (byte >= 0x80 || byte < 0x20) return false;
    if (encoding == LiteralPrefilter::Encoding::kJson && (c == '"' || c == '\\')) out->push_back('\\');
    // CSV doubles quotes only inside quoted fields, so the raw form is ambiguous.
    if (encoding == LiteralPrefilter::Encoding::kCsv && c == '"') return false;
    out->push_back(ToLowerAscii(c));
  }
  return true;
}

// Both search kernels compare two bytes of the needle (its first and last) at many start positions at once and
// verify only positions where both match. Letters are compared after OR-ing 0x20 into the haystack byte, which
// folds ASCII case with one operation (it also folds a few punctuation pairs, but candidates are verified).
struct ProbeBytes {
  char first;        // Needle's first byte, lowercase.
  char first_fold;   // 0x20 when that byte is a letter, else 0.
  char last;
  char last_fold;
};

ProbeBytes MakeProbe(std::string_view needle_lower) {
  auto fold = [](char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? 0x20 : 0); };
  char first = needle_lower.front();
  char last = needle_lower.back();
  return {first, fold(first), last, fold(last)};
}

bool ContainsScalarTail(const char* data, size_t position, size_t last_start, std::string_view needle_lower,
                        const ProbeBytes& probe) {
  const size_t last_index = needle_lower.size() - 1;
  for (; position <= last_start; ++position) {
    if (static_cast<char>(data[position] | probe.first_fold) == probe.first &&
        static_cast<char>(data[position + last_index] | probe.last_fold) == probe.last &&
        EqualsLowered(data + position, needle_lower)) {
      return true;
    }
  }
  return false;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define KQL_PREFILTER_AVX2 1
__attribute__((target("avx2,bmi"))) bool ContainsAvx2(std::string_view haystack, std::string_view needle_lower,
                                                       const ProbeBytes& probe) {
  const size_t last_index = needle_lower.size() - 1;
  const char* data = haystack.data();
  const size_t last_start = haystack.size() - needle_lower.size();
  const __m256i first = _mm256_set1_epi8(probe.first);
  const __m256i first_fold = _mm256_set1_epi8(probe.first_fold);
  const __m256i last = _mm256_set1_epi8(probe.last);
  const __m256i last_fold = _mm256_set1_epi8(probe.last_fold);
  size_t position = 0;
  for (; position + 32 <= last_start + 1; position += 32) {
    __m256i head = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + position));
    __m256i tail = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + position + last_index));
    __m256i both = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_or_si256(head, first_fold), first),
                                    _mm256_cmpeq_epi8(_mm256_or_si256(tail, last_fold), last));
    auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(both));
    while (mask != 0) {
      size_t candidate = position + static_cast<size_t>(__builtin_ctz(mask));
      if (EqualsLowered(data + candidate + 1, needle_lower.substr(1))) return true;
      mask &= mask - 1;
    }
  }
  return ContainsScalarTail(data, position, last_start, needle_lower, probe);
}

// A backslash followed by 'u' or '/': the only escapes that can spell an ASCII literal's byte differently.
__attribute__((target("avx2,bmi"))) const char* FindEscapeCandidateAvx2(const char* cursor, const char* end) {
  const __m256i backslash = _mm256_set1_epi8('\\');
  const __m256i letter_u = _mm256_set1_epi8('u');
  const __m256i slash = _mm256_set1_epi8('/');
  for (; cursor + 33 <= end; cursor += 32) {
    __m256i here = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(cursor));
    __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(cursor + 1));
    __m256i hit = _mm256_and_si256(_mm256_cmpeq_epi8(here, backslash),
                                   _mm256_or_si256(_mm256_cmpeq_epi8(next, letter_u), _mm256_cmpeq_epi8(next, slash)));
    auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(hit));
    if (mask != 0) return cursor + __builtin_ctz(mask);
  }
  for (; cursor + 1 < end; ++cursor) {
    if (cursor[0] == '\\' && (cursor[1] == 'u' || cursor[1] == '/')) return cursor;
  }
  return nullptr;
}

const bool kHaveAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");
#endif

const char* FindEscapeCandidateScalar(const char* cursor, const char* end) {
  while (cursor + 1 < end) {
    const void* hit = std::memchr(cursor, '\\', static_cast<size_t>(end - cursor - 1));
    if (!hit) return nullptr;
    const char* slash = static_cast<const char*>(hit);
    if (slash[1] == 'u' || slash[1] == '/') return slash;
    cursor = slash + 1;
  }
  return nullptr;
}

const char* FindEscapeCandidate(const char* cursor, const char* end) {
#ifdef KQL_PREFILTER_AVX2
  if (kHaveAvx2) return FindEscapeCandidateAvx2(cursor, end);
#endif
  return FindEscapeCandidateScalar(cursor, end);
}

}  // namespace

bool ContainsCaseInsensitive(std::string_view haystack, std::string_view needle_lower) {
  if (needle_lower.empty()) return true;
  if (haystack.size() < needle_lower.size()) return false;
  const ProbeBytes probe = MakeProbe(needle_lower);
#ifdef KQL_PREFILTER_AVX2
  if (kHaveAvx2) return ContainsAvx2(haystack, needle_lower, probe);
#endif
  const size_t last_index = needle_lower.size() - 1;
  const char* data = haystack.data();
  const size_t last_start = haystack.size() - needle_lower.size();
  size_t position = 0;
#if defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(probe.first);
  const __m128i first_fold = _mm_set1_epi8(probe.first_fold);
  const __m128i last = _mm_set1_epi8(probe.last);
  const __m128i last_fold = _mm_set1_epi8(probe.last_fold);
  for (; position + 16 <= last_start + 1; position += 16) {
    __m128i head = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + position));
    __m128i tail = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + position + last_index));
    __m128i both = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(head, first_fold), first),
                                 _mm_cmpeq_epi8(_mm_or_si128(tail, last_fold), last));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(both));
    while (mask != 0) {
      size_t candidate = position + static_cast<size_t>(__builtin_ctz(mask));
      if (EqualsLowered(data + candidate + 1, needle_lower.substr(1))) return true;
      mask &= mask - 1;
    }
  }
#endif
  return ContainsScalarTail(data, position, last_start, needle_lower, probe);
}

LiteralPrefilter::LiteralPrefilter(const std::vector<std::vector<std::string>>& conjuncts, Encoding encoding)
    : LiteralPrefilter(conjuncts, encoding, {}) {}

std::vector<std::string> LiteralPrefilter::JsonEscapeMarkers(const std::vector<std::vector<std::string>>& conjuncts) {
  std::vector<std::string> escapes;
  for (char digit = '0'; digit <= '7'; ++digit) escapes.push_back(std::string("\\u00") + digit);
  bool slash = false;
  for (const auto& alternatives : conjuncts) {
    for (const std::string& literal : alternatives) slash = slash || literal.find('/') != std::string::npos;
  }
  if (slash) escapes.push_back("\\/");
  return escapes;
}

LiteralPrefilter::LiteralPrefilter(const std::vector<std::vector<std::string>>& conjuncts, Encoding encoding,
                                   const std::vector<std::string>& markers)
    : LiteralPrefilter(conjuncts, encoding, markers, {}) {}

namespace {

// The key names of markers that are all quoted names ("key" with nothing to escape), or nothing.
std::vector<std::string> MarkerKeys(const std::vector<std::string>& markers) {
  std::vector<std::string> keys;
  for (const std::string& marker : markers) {
    if (marker.size() < 3 || marker.front() != '"' || marker.back() != '"') return {};
    keys.push_back(marker.substr(1, marker.size() - 2));
  }
  return keys;
}

}  // namespace

LiteralPrefilter::LiteralPrefilter(const std::vector<std::vector<std::string>>& conjuncts, Encoding encoding,
                                   const std::vector<std::string>& markers,
                                   const std::vector<std::vector<std::string>>& columns)
    : caller_markers_(static_cast<uint32_t>(markers.size())) {
  // In JSON, the one-pass search also locates the escapes HasHidingEscape looks for, so that a record it shows
  // free of them needs no escape scan of its own. "\/" spells only '/': it matters only to literals holding one.
  std::vector<std::string> all_markers = markers;
  if (encoding == Encoding::kJson) {
    for (std::string& escape : JsonEscapeMarkers(conjuncts)) all_markers.push_back(std::move(escape));
  }
  for (const auto& alternatives : conjuncts) {
    std::vector<std::string> encoded;
    bool searchable = !alternatives.empty();
    for (const std::string& literal : alternatives) {
      std::string raw;
      if (!EncodeLiteral(literal, encoding, &raw)) {
        searchable = false;
        break;
      }
      encoded.push_back(std::move(raw));
    }
    if (!searchable) continue;
    // One SIMD pass per literal wins for a few literals; past that, one pass for all of them (a hunt's shared
    // scan has hundreds).
    constexpr size_t kLiteralsSearchedOneByOne = 16;
    const bool one_pass = encoded.size() > kLiteralsSearchedOneByOne;
    // A long list from named columns of JSON objects is searched in those columns' values: most of a record's bytes
    // are other columns and keys, and a search of a few short values per record costs much less than a pass of
    // hundreds of literals over all of it.
    const size_t source_index = static_cast<size_t>(&alternatives - conjuncts.data());
    if (one_pass && !values_search_ && encoding == Encoding::kJson && source_index < columns.size() &&
        !columns[source_index].empty()) {
      std::vector<std::string> marker_keys = MarkerKeys(markers);
      const bool finds_markers = !markers.empty() && !marker_keys.empty() &&
                                 columns[source_index].size() + marker_keys.size() <= QuotedKeyFinder::kMaxKeys;
      auto search = std::make_unique<ColumnValueSearch>(encoded, columns[source_index],
                                                        finds_markers ? marker_keys : std::vector<std::string>{});
      if (search->usable()) {
        values_search_ = std::move(search);
        values_conjunct_ = conjuncts_.size();
        values_find_markers_ = finds_markers;
        sets_.emplace_back();
        conjuncts_.push_back(std::move(encoded));
        continue;
      }
    }
    const bool with_markers = one_pass && marker_set_ < 0 && !all_markers.empty();
    if (with_markers) marker_set_ = static_cast<int>(sets_.size());
    sets_.push_back(one_pass ? LiteralSet(encoded, LiteralSet::Matcher::kBest,
                                          with_markers ? all_markers : std::vector<std::string>{})
                             : LiteralSet());
    conjuncts_.push_back(std::move(encoded));
  }
}

namespace {

// A block with more occurrences than this (a literal common in the data) is searched record by record instead.
constexpr size_t kMaxBlockOccurrences = 1 << 16;

bool Inside(std::string_view part, std::string_view whole) {
  return !whole.empty() && part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// Calls visit(occurrence) for each of `occurrences` (ordered by end) lying wholly inside [begin, end), in order,
// until it returns false; returns false when it did.
template <typename Visit>
bool EachWithin(const std::vector<LiteralSet::Occurrence>& occurrences, size_t begin, size_t end, Visit visit) {
  auto first = std::upper_bound(occurrences.begin(), occurrences.end(), begin,
                                [](size_t offset, const LiteralSet::Occurrence& o) { return offset < o.end; });
  for (auto it = first; it != occurrences.end() && it->end <= end; ++it) {
    if (it->begin >= begin && !visit(*it)) return false;
  }
  return true;
}

// True when one of `occurrences` (ordered by end) lies wholly inside [begin, end).
bool OccursWithin(const std::vector<LiteralSet::Occurrence>& occurrences, size_t begin, size_t end) {
  return !EachWithin(occurrences, begin, end, [](const LiteralSet::Occurrence&) { return false; });
}

}  // namespace

bool LiteralPrefilter::WantsBlock(std::string_view record) const {
  if (Inside(record, block_)) return false;
  // The column-value search answers a block of records with one search of their values.
  if (values_search_) return true;
  for (const LiteralSet& set : sets_) {
    if (!set.empty() && set.UsesHyperscan()) return true;
  }
  return false;
}

void LiteralPrefilter::PrepareBlock(std::string_view block) {
  block_ = block;
  if (values_search_) values_search_->PrepareBlock(block);
  block_occurrences_.resize(sets_.size());
  block_found_.assign(sets_.size(), 0);
  if (block.empty()) return;
  for (size_t index = 0; index < sets_.size(); ++index) {
    if (sets_[index].empty()) continue;
    block_found_[index] = sets_[index].FindAll(block, kMaxBlockOccurrences, block_occurrences_[index],
                                               static_cast<int>(index) == marker_set_ ? &block_markers_ : nullptr);
  }
}

const std::vector<size_t>* LiteralPrefilter::BlockNewlines() const {
  return values_search_ ? &values_search_->BlockNewlines() : nullptr;
}

bool LiteralPrefilter::BlockLocatesMarkersOf(std::string_view record) const {
  return marker_set_ >= 0 && Inside(record, block_) && block_found_[static_cast<size_t>(marker_set_)];
}

bool LiteralPrefilter::ShowsNoHidingEscape(std::string_view record) const {
  if (!BlockLocatesMarkersOf(record)) return false;
  const auto begin = static_cast<size_t>(record.data() - block_.data());
  // The escapes are the markers after the caller's.
  return EachWithin(block_markers_, begin, begin + record.size(),
                    [this](const LiteralSet::Occurrence& o) { return o.marker < caller_markers_; });
}

size_t LiteralPrefilter::FirstFailing(std::string_view record) const {
  const bool in_block = Inside(record, block_);
  for (size_t index = 0; index < conjuncts_.size(); ++index) {
    const auto& alternatives = conjuncts_[index];
    if (values_search_ && values_conjunct_ == index) {
      if (!values_search_->MayMatch(record)) return index;
      continue;
    }
    if (!sets_[index].empty()) {
      if (in_block && block_found_[index]) {
        const auto begin = static_cast<size_t>(record.data() - block_.data());
        if (!OccursWithin(block_occurrences_[index], begin, begin + record.size())) return index;
      } else if (!sets_[index].ContainedIn(record)) {
        return index;
      }
      continue;
    }
    bool found = false;
    for (const std::string& literal : alternatives) {
      if (ContainsCaseInsensitive(record, literal)) {
        found = true;
        break;
      }
    }
    if (!found) return index;
  }
  return conjuncts_.size();
}

bool LiteralPrefilter::MayMatch(std::string_view record) const { return FirstFailing(record) == conjuncts_.size(); }

bool LiteralPrefilter::Rejects(std::string_view record) const {
  const size_t failing = FirstFailing(record);
  if (failing == conjuncts_.size()) return false;
  if (values_search_ && values_conjunct_ == failing) return true;
  return ShowsNoHidingEscape(record) || !HasHidingEscape(record);
}

bool LiteralPrefilter::MarkersIn(std::string_view record, std::vector<MarkerAt>& found) const {
  if (values_find_markers_) {
    values_search_->MarkersIn(record, found);
    return true;
  }
  if (!BlockLocatesMarkersOf(record)) return false;
  found.clear();
  const auto begin = static_cast<size_t>(record.data() - block_.data());
  EachWithin(block_markers_, begin, begin + record.size(), [&](const LiteralSet::Occurrence& o) {
    if (o.marker < caller_markers_) found.push_back({o.marker, o.begin - begin});
    return true;
  });
  return true;
}

bool LiteralPrefilter::HasHidingEscape(std::string_view record) {
  const char* cursor = record.data();
  const char* end = record.data() + record.size();
  // Conservative: a candidate preceded by an escaped backslash ("\\\\u0041") also counts, which only costs a parse.
  while (const char* slash = FindEscapeCandidate(cursor, end)) {
    if (slash[1] == '/') return true;
    // Literals are ASCII (others are never searched), so only \u0000-\u007F can spell one of their bytes.
    if (end - slash < 6) return true;
    if (slash[2] == '0' && slash[3] == '0' && slash[4] >= '0' && slash[4] <= '7') return true;
    cursor = slash + 2;
  }
  return false;
}

}  // namespace kql::io
