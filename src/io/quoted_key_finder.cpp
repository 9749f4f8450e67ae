#include "io/quoted_key_finder.h"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "io/layer.h"

namespace kql::io {

namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// True when `c` may follow a key's closing quote: its colon, or a space before one (any byte up to ' ' is taken:
// the shape is checked later).
bool MayFollowKey(char c) { return c == ':' || static_cast<unsigned char>(c) <= ' '; }

// memcmp(a, b, size) == 0 for the short sizes of key names, without a library call.
bool SameBytes(const char* a, const char* b, size_t size) {
  for (; size >= 8; a += 8, b += 8, size -= 8) {
    uint64_t left = 0;
    uint64_t right = 0;
    std::memcpy(&left, a, 8);
    std::memcpy(&right, b, 8);
    if (left != right) return false;
  }
  for (; size > 0; ++a, ++b, --size) {
    if (*a != *b) return false;
  }
  return true;
}

// The offset of the first '"' or '\\' in `text` at or after `from`, or npos: the end of a string value, or its first
// escape.
size_t FindQuoteOrBackslash(std::string_view text, size_t from) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; from + 16 <= text.size(); from += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + from));
    const int found = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    if (found != 0) return from + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(found)));
  }
#endif
  for (; from < text.size(); ++from) {
    if (text[from] == '"' || text[from] == '\\') return from;
  }
  return std::string_view::npos;
}

}  // namespace

QuotedKeyFinder::QuotedKeyFinder(std::vector<std::string> keys) : keys_(std::move(keys)) {
  if (keys_.empty() || keys_.size() > kMaxKeys) return;
  for (const std::string& key : keys_) {
    if (key.empty()) return;
    for (char c : key) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return;
    }
    const size_t index = static_cast<size_t>(&key - keys_.data());
    last_bytes_[index] = key.back();
    lengths_[index] = key.size();
    longest_ = std::max(longest_, key.size());
  }
  usable_ = true;
}

#if defined(__x86_64__) && defined(__GNUC__)
namespace {

// Writes at `candidates` (advancing it) each quote position p in [from, to) (from > every key's length) that may
// close one of the K keys: the key's last byte before it and a quote where the key would open (CheckCandidates
// checks the rest); and appends to `newlines` (when given) each '\n'; in order, 64 bytes at a time. Returns where
// it stopped. `candidates` has room for one per byte of [from, to). Candidates are only written here: checking them
// in a loop of their own keeps this one short. (Plain pointer writes, and the keys' offsets in locals, spare the
// loop push_back's capacity checks and the reloads of the lengths after every store.)
template <int K>
__attribute__((target("avx2,bmi"))) size_t ScanAvx2(std::string_view text, size_t from, size_t to,
                                                     const std::array<char, QuotedKeyFinder::kMaxKeys>& last_bytes,
                                                     const std::array<size_t, QuotedKeyFinder::kMaxKeys>& lengths,
                                                     size_t*& candidates, std::vector<size_t>* newlines) {
  __m256i lasts[K];
  ptrdiff_t opens[K];  // Where each key would open, relative to a byte its closing quote might be at.
  for (int key = 0; key < K; ++key) {
    lasts[key] = _mm256_set1_epi8(last_bytes[key]);
    opens[key] = -static_cast<ptrdiff_t>(lengths[key]) - 1;
  }
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i line_end = _mm256_set1_epi8('\n');
  const char* data = text.data();
  size_t* next_candidate = candidates;
  size_t position = from;
  for (; position + 64 <= to && position + 65 <= text.size(); position += 64) {
    uint64_t keys = 0;
    uint64_t lines = 0;
    for (int half = 0; half < 2; ++half) {
      const char* at = data + position + 32 * half;
      __m256i previous = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at - 1));
      __m256i here = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
      __m256i some_key = _mm256_setzero_si256();
      for (int key = 0; key < K; ++key) {
        __m256i open = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + opens[key]));
        some_key = _mm256_or_si256(some_key, _mm256_and_si256(_mm256_cmpeq_epi8(previous, lasts[key]),
                                                              _mm256_cmpeq_epi8(open, quote)));
      }
      __m256i ends = _mm256_and_si256(_mm256_cmpeq_epi8(here, quote), some_key);
      keys |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(ends))) << (32 * half);
      lines |= static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(here, line_end))))
               << (32 * half);
    }
    while (keys != 0) {
      *next_candidate++ = position + static_cast<size_t>(__builtin_ctzll(keys));
      keys &= keys - 1;
    }
    if (newlines) {
      while (lines != 0) {
        newlines->push_back(position + static_cast<size_t>(__builtin_ctzll(lines)));
        lines &= lines - 1;
      }
    }
  }
  candidates = next_candidate;
  return position;
}

// ScanAvx2 for the finder's number of keys.
size_t ScanAvx2For(size_t key_count, std::string_view text, size_t from, size_t to,
                   const std::array<char, QuotedKeyFinder::kMaxKeys>& last_bytes,
                   const std::array<size_t, QuotedKeyFinder::kMaxKeys>& lengths, size_t*& candidates,
                   std::vector<size_t>* newlines) {
  static_assert(QuotedKeyFinder::kMaxKeys == 6);
  switch (key_count) {
    case 1:
      return ScanAvx2<1>(text, from, to, last_bytes, lengths, candidates, newlines);
    case 2:
      return ScanAvx2<2>(text, from, to, last_bytes, lengths, candidates, newlines);
    case 3:
      return ScanAvx2<3>(text, from, to, last_bytes, lengths, candidates, newlines);
    case 4:
      return ScanAvx2<4>(text, from, to, last_bytes, lengths, candidates, newlines);
    case 5:
      return ScanAvx2<5>(text, from, to, last_bytes, lengths, candidates, newlines);
    default:
      return ScanAvx2<6>(text, from, to, last_bytes, lengths, candidates, newlines);
  }
}

const bool kHaveAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");

}  // namespace
#endif

void QuotedKeyFinder::FindAll(std::string_view text, std::vector<Occurrence>& found,
                              std::vector<size_t>* newlines) {
  if (!usable_ || text.empty()) return;
  candidates_.clear();
  // A quote at 0 or 1 ends no key; the passes start at 1.
  if (text[0] == '\n' && newlines) newlines->push_back(0);
  size_t position = 1;
  auto byte_by_byte = [&](size_t until) {
    for (; position < until; ++position) {
      char c = text[position];
      if (c == '"' && position + 1 < text.size() && MayFollowKey(text[position + 1])) {
        candidates_.push_back(position);
      } else if (c == '\n' && newlines) {
        newlines->push_back(position);
      }
    }
  };
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHaveAvx2) {
    // The SIMD pass looks back to where the longest key would open: the first bytes go byte by byte. Then it reads
    // windows small enough that their candidates are checked while the bytes are in cache; the last bytes of the
    // text, which it leaves, go byte by byte.
    byte_by_byte(std::min(text.size(), longest_ + 1));
    CheckCandidates<false>(text, candidates_.data(), candidates_.data() + candidates_.size(), found);
    candidates_.clear();
    if (window_candidates_.size() < kWindowBytes) window_candidates_.resize(kWindowBytes);
    while (position < text.size()) {
      const size_t to = std::min(text.size(), position + kWindowBytes);
      size_t* written = window_candidates_.data();
      position = ScanAvx2For(keys_.size(), text, position, to, last_bytes_, lengths_, written, newlines);
      CheckCandidates<true>(text, window_candidates_.data(), written, found);
      if (to == text.size()) byte_by_byte(to);
    }
    CheckCandidates<false>(text, candidates_.data(), candidates_.data() + candidates_.size(), found);
    return;
  }
#endif
  byte_by_byte(text.size());
  CheckCandidates<false>(text, candidates_.data(), candidates_.data() + candidates_.size(), found);
}

template <bool kAfterEveryKey>
void QuotedKeyFinder::CheckCandidates(std::string_view text, const size_t* first, const size_t* last,
                                      std::vector<Occurrence>& found) const {
  // A candidate is a quote at 1 or later, before the text's last byte. The keys it may end are picked without a
  // branch per key (the branches a candidate's bytes decide are mispredicted often): the key's last byte before it
  // and a quote where the key would open (both checked by the SIMD pass for its candidates); then, when a colon or
  // a space follows (a third of the SIMD pass's candidates end a value instead), the whole name.
  const size_t key_count = keys_.size();
  const char* data = text.data();
  for (const size_t* candidate = first; candidate != last; ++candidate) {
    const size_t quote = *candidate;
    const char before = data[quote - 1];
    uint32_t keys = 0;
    for (size_t key = 0; key < key_count; ++key) {
      const size_t length = lengths_[key];
      // Without kAfterEveryKey (candidates found byte by byte), a key may not fit before the quote.
      const bool fits = kAfterEveryKey || quote > length;
      keys |= static_cast<uint32_t>((before == last_bytes_[key]) & fits &
                                    (data[fits ? quote - length - 1 : 0] == '"'))
              << key;
    }
    if (!MayFollowKey(data[quote + 1])) keys = 0;
    while (keys != 0) {
      const auto key = static_cast<uint32_t>(__builtin_ctz(keys));
      keys &= keys - 1;
      const size_t length = lengths_[key];
      if (SameBytes(data + quote - length, keys_[key].data(), length - 1)) found.push_back({key, quote - length - 1});
    }
  }
}

QuotedKeyFinder::Value QuotedKeyFinder::ValueOf(std::string_view record, size_t base, const Occurrence* first,
                                                const Occurrence* last, uint32_t key) const {
  const Occurrence* only = nullptr;
  for (const Occurrence* occurrence = first; occurrence != last; ++occurrence) {
    if (occurrence->key != key) continue;
    if (only) return {ValueKind::kUncertain, {}};
    only = occurrence;
  }
  if (!only) return {ValueKind::kNull, {}};
  if (only->offset < base || only->offset - base >= record.size()) return {ValueKind::kUncertain, {}};
  return ValueAt(record, only->offset - base, keys_[key].size());
}

QuotedKeyFinder::Value QuotedKeyFinder::ValueAt(std::string_view record, size_t open, size_t key_size) {
  const Value uncertain{ValueKind::kUncertain, {}};
  auto skip_spaces = [&](size_t cursor) {
    while (cursor < record.size() && IsJsonSpace(record[cursor])) ++cursor;
    return cursor;
  };
  size_t before = open;
  while (before > 0 && IsJsonSpace(record[before - 1])) --before;
  if (before == 0 || (record[before - 1] != '{' && record[before - 1] != ',')) return uncertain;
  size_t cursor = skip_spaces(open + key_size + 2);
  if (cursor >= record.size() || record[cursor] != ':') return uncertain;
  cursor = skip_spaces(cursor + 1);
  std::string_view rest = record.substr(cursor);
  if (rest.substr(0, 4) == "null") return {ValueKind::kNull, {}, false, skip_spaces(cursor + 4)};
  if (rest.empty() || rest[0] != '"') return uncertain;
  const size_t stop = FindQuoteOrBackslash(rest, 1);
  if (stop == std::string_view::npos) return uncertain;
  if (rest[stop] == '"') return {ValueKind::kString, rest.substr(1, stop - 1), false, skip_spaces(cursor + stop + 1)};
  for (size_t index = stop; index < rest.size(); ++index) {
    if (rest[index] == '\\') {
      ++index;
    } else if (rest[index] == '"') {
      return {ValueKind::kString, rest.substr(1, index - 1), true, skip_spaces(cursor + index + 1)};
    }
  }
  return uncertain;
}

}  // namespace kql::io
