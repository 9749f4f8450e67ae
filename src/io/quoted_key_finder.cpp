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

// The two bytes before position `at` as one number (the first in the low byte).
uint32_t EndingAt(const char* at) {
  return static_cast<unsigned char>(at[-2]) | (static_cast<uint32_t>(static_cast<unsigned char>(at[-1])) << 8);
}

}  // namespace

QuotedKeyFinder::QuotedKeyFinder(std::vector<std::string> keys) : keys_(std::move(keys)) {
  if (keys_.empty() || keys_.size() > kMaxKeys) return;
  endings_.assign(65536 / 64, 0);
  std::vector<char> distinct_last_bytes;
  for (const std::string& key : keys_) {
    if (key.empty()) return;
    for (char c : key) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return;
    }
    // The quoted key's last (up to) 8 bytes before its closing quote: the name's tail, then the opening quote.
    std::string quoted = "\"" + key;
    size_t length = std::min<size_t>(quoted.size(), 8);
    uint64_t tail = 0;
    std::memcpy(&tail, quoted.data() + quoted.size() - length, length);
    tails_.push_back(tail << (8 * (8 - length)));
    tail_masks_.push_back(length == 8 ? ~uint64_t{0} : ~uint64_t{0} << (8 * (8 - length)));
    if (std::find(distinct_last_bytes.begin(), distinct_last_bytes.end(), key.back()) == distinct_last_bytes.end()) {
      distinct_last_bytes.push_back(key.back());
    }
    uint32_t ending = EndingAt(quoted.data() + quoted.size());
    endings_[ending / 64] |= uint64_t{1} << (ending % 64);
  }
  // The SIMD pass filters on up to 4 distinct last bytes (repeated to fill 4); with more keys end in any byte.
  if (distinct_last_bytes.size() > last_bytes_.size()) return;
  for (size_t index = 0; index < last_bytes_.size(); ++index) {
    last_bytes_[index] = distinct_last_bytes[std::min(index, distinct_last_bytes.size() - 1)];
  }
  usable_ = true;
}

void QuotedKeyFinder::CheckKeyEnd(std::string_view text, size_t quote, std::vector<Occurrence>& found) const {
  uint64_t word = 0;
  if (quote >= 8) {
    std::memcpy(&word, text.data() + quote - 8, 8);
  } else {
    std::memcpy(reinterpret_cast<char*>(&word) + (8 - quote), text.data(), quote);
  }
  for (uint32_t key = 0; key < keys_.size(); ++key) {
    if (((word ^ tails_[key]) & tail_masks_[key]) != 0) continue;
    const std::string& name = keys_[key];
    if (quote < name.size() + 1) continue;
    size_t open = quote - name.size() - 1;
    if (text[open] == '"' && std::memcmp(text.data() + open + 1, name.data(), name.size()) == 0) {
      found.push_back({key, open});
    }
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
namespace {

// Calls key_end(p) for each quote at p (p >= 1) after one of the 4 `last_bytes` and followed by a colon or a byte up
// to ' ', in order of p, then (with `newlines`) appends the offset of each '\n' to it, 32 bytes at a time from
// position 1; returns where it stopped.
template <typename KeyEnd>
__attribute__((target("avx2,bmi"))) size_t ScanAvx2(std::string_view text, const std::array<char, 4>& last_bytes,
                                                     std::vector<size_t>* newlines, KeyEnd& key_end) {
  const __m256i last0 = _mm256_set1_epi8(last_bytes[0]);
  const __m256i last1 = _mm256_set1_epi8(last_bytes[1]);
  const __m256i last2 = _mm256_set1_epi8(last_bytes[2]);
  const __m256i last3 = _mm256_set1_epi8(last_bytes[3]);
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i colon = _mm256_set1_epi8(':');
  const __m256i space = _mm256_set1_epi8(' ');
  const __m256i line_end = _mm256_set1_epi8('\n');
  const char* data = text.data();
  size_t position = 1;
  for (; position + 33 <= text.size(); position += 32) {
    __m256i previous = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + position - 1));
    __m256i here = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + position));
    __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + position + 1));
    __m256i follows = _mm256_or_si256(_mm256_cmpeq_epi8(next, colon),
                                      _mm256_cmpeq_epi8(_mm256_max_epu8(next, space), space));
    __m256i after_last = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(previous, last0),
                                                         _mm256_cmpeq_epi8(previous, last1)),
                                         _mm256_or_si256(_mm256_cmpeq_epi8(previous, last2),
                                                         _mm256_cmpeq_epi8(previous, last3)));
    auto keys = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(here, quote), follows), after_last)));
    while (keys != 0) {
      key_end(position + static_cast<size_t>(__builtin_ctz(keys)));
      keys &= keys - 1;
    }
    if (newlines) {
      auto lines = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(here, line_end)));
      while (lines != 0) {
        newlines->push_back(position + static_cast<size_t>(__builtin_ctz(lines)));
        lines &= lines - 1;
      }
    }
  }
  return position;
}

const bool kHaveAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");

}  // namespace
#endif

void QuotedKeyFinder::FindAll(std::string_view text, std::vector<Occurrence>& found,
                              std::vector<size_t>* newlines) const {
  if (!usable_) return;
  auto key_end = [&](size_t quote) {
    if (quote >= 2 && MayEndKey(text.data() + quote)) CheckKeyEnd(text, quote, found);
  };
  if (text.empty()) return;
  // A quote at 0 or 1 ends no key; the SIMD pass starts at 1.
  if (text[0] == '\n' && newlines) newlines->push_back(0);
  size_t position = 1;
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHaveAvx2) position = ScanAvx2(text, last_bytes_, newlines, key_end);
#endif
  // The SIMD pass lists its key ends and then its line ends: the tail's come after both.
  for (; position < text.size(); ++position) {
    char c = text[position];
    if (c == '"' && position + 1 < text.size() && MayFollowKey(text[position + 1])) {
      key_end(position);
    } else if (c == '\n' && newlines) {
      newlines->push_back(position);
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
  const size_t open = only->offset - base;
  // Shaped as a key: after `{` or `,` (and spaces), followed by spaces and `:`.
  size_t before = open;
  while (before > 0 && IsJsonSpace(record[before - 1])) --before;
  if (before == 0 || (record[before - 1] != '{' && record[before - 1] != ',')) return {ValueKind::kUncertain, {}};
  size_t cursor = open + keys_[key].size() + 2;
  while (cursor < record.size() && IsJsonSpace(record[cursor])) ++cursor;
  if (cursor >= record.size() || record[cursor] != ':') return {ValueKind::kUncertain, {}};
  ++cursor;
  while (cursor < record.size() && IsJsonSpace(record[cursor])) ++cursor;
  std::string_view rest = record.substr(cursor);
  if (rest.substr(0, 4) == "null") return {ValueKind::kNull, {}};
  if (rest.empty() || rest[0] != '"') return {ValueKind::kUncertain, {}};
  // The string ends at the first quote no backslash escapes.
  const auto* quote = static_cast<const char*>(std::memchr(rest.data() + 1, '"', rest.size() - 1));
  if (!quote) return {ValueKind::kUncertain, {}};
  std::string_view text = rest.substr(1, static_cast<size_t>(quote - rest.data()) - 1);
  if (std::memchr(text.data(), '\\', text.size()) == nullptr) return {ValueKind::kString, text, false};
  for (size_t index = 1; index < rest.size(); ++index) {
    if (rest[index] == '\\') {
      ++index;
    } else if (rest[index] == '"') {
      return {ValueKind::kString, rest.substr(1, index - 1), true};
    }
  }
  return {ValueKind::kUncertain, {}};
}

}  // namespace kql::io
