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

// How far ahead of the SIMD passes the text is prefetched.
constexpr size_t kPrefetchAhead = 4096;

// The quote bits of the 64 bytes before `from` (bit i for byte from - 64 + i; none before the text's start).
uint64_t QuoteBitsBefore(std::string_view text, size_t from) {
  uint64_t bits = 0;
  for (size_t index = from >= 64 ? from - 64 : 0; index < from; ++index) {
    bits |= static_cast<uint64_t>(text[index] == '"') << (index + 64 - from);
  }
  return bits;
}

// What the SIMD passes share: the blocks' bounds and prefetch, and from each block's masks (its quotes and line
// ends, and per key the bytes equal to the key's last byte one before each) its candidates and line ends.
template <int K>
class BlockScan {
 public:
  BlockScan(std::string_view text, size_t from, const std::array<size_t, QuotedKeyFinder::kMaxKeys>& lengths,
            size_t* candidates, std::vector<size_t>* newlines)
      : text_(text), previous_quotes_(QuoteBitsBefore(text, from)), next_candidate_(candidates), newlines_(newlines) {
    for (int key = 0; key < K; ++key) shifts_[key] = static_cast<int>(lengths[key]) + 1;
  }

  bool Fits(size_t position, size_t to) const { return position + 64 <= to && position + 65 <= text_.size(); }
  // The block at `position`, after asking for the bytes kPrefetchAhead on.
  __attribute__((always_inline)) const char* Block(size_t position) const {
    const char* at = text_.data() + position;
    __builtin_prefetch(at + kPrefetchAhead);
    return at;
  }
  // Takes the block at `position`: the quote where a key would open is the quote mask shifted by the key's length
  // + 1 (below 64), carrying the previous block's bits.
  __attribute__((always_inline)) void Take(size_t position, uint64_t quotes, uint64_t line_ends,
                                           const uint64_t* last_byte_before) {
    uint64_t some_key = 0;
    for (int key = 0; key < K; ++key) {
      const int shift = shifts_[key];
      some_key |= last_byte_before[key] & ((quotes << shift) | (previous_quotes_ >> (64 - shift)));
    }
    for (uint64_t ends = quotes & some_key; ends != 0; ends &= ends - 1) {
      *next_candidate_++ = position + static_cast<size_t>(__builtin_ctzll(ends));
    }
    previous_quotes_ = quotes;
    if (newlines_) {
      for (; line_ends != 0; line_ends &= line_ends - 1) {
        newlines_->push_back(position + static_cast<size_t>(__builtin_ctzll(line_ends)));
      }
    }
  }
  size_t* next_candidate() const { return next_candidate_; }

 private:
  std::string_view text_;
  int shifts_[K];
  uint64_t previous_quotes_;
  size_t* next_candidate_;
  std::vector<size_t>* newlines_;
};

__attribute__((always_inline, target("avx2"))) inline uint64_t EqualBits(__m256i low, __m256i high, __m256i byte) {
  return static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, byte))) |
         static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, byte)))) << 32;
}

// The SIMD passes (AVX2 and AVX-512) write at `candidates` (advancing it) each quote position p in [from, to)
// (from > every key's length, which is below 63) that may close one of the K keys: the key's last byte before it
// and a quote where the key would open (CheckCandidates checks the rest); and append to `newlines` (when given) each
// '\n'; in order, 64 bytes at a time. They return where they stopped. `candidates` has room for one per byte of
// [from, to). Each 64-byte block is compared once per byte value (quote, newline, each key's last byte) into bit
// masks: one load per block, where a compare per key at the key's offset took one per key. Blocks a few KiB ahead
// are prefetched (the hardware prefetcher alone left the loop waiting for memory for about a third of its time).
// Candidates are only written here: checking them in a loop of their own keeps this one short.
template <int K>
__attribute__((target("avx2,bmi,bmi2"))) size_t ScanAvx2(std::string_view text, size_t from, size_t to,
                                                          const std::array<char, QuotedKeyFinder::kMaxKeys>& last_bytes,
                                                          const std::array<size_t, QuotedKeyFinder::kMaxKeys>& lengths,
                                                          size_t*& candidates, std::vector<size_t>* newlines) {
  __m256i lasts[K];
  for (int key = 0; key < K; ++key) lasts[key] = _mm256_set1_epi8(last_bytes[key]);
  BlockScan<K> scan(text, from, lengths, candidates, newlines);
  size_t position = from;
  for (; scan.Fits(position, to); position += 64) {
    const char* at = scan.Block(position);
    const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
    const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + 32));
    const __m256i low_before = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at - 1));
    const __m256i high_before = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + 31));
    uint64_t last_byte_before[K];
    for (int key = 0; key < K; ++key) last_byte_before[key] = EqualBits(low_before, high_before, lasts[key]);
    scan.Take(position, EqualBits(low, high, _mm256_set1_epi8('"')), EqualBits(low, high, _mm256_set1_epi8('\n')),
              last_byte_before);
  }
  candidates = scan.next_candidate();
  return position;
}

template <int K>
__attribute__((target("avx512f,avx512bw,bmi,bmi2"))) size_t ScanAvx512(
    std::string_view text, size_t from, size_t to, const std::array<char, QuotedKeyFinder::kMaxKeys>& last_bytes,
    const std::array<size_t, QuotedKeyFinder::kMaxKeys>& lengths, size_t*& candidates,
    std::vector<size_t>* newlines) {
  __m512i lasts[K];
  for (int key = 0; key < K; ++key) lasts[key] = _mm512_set1_epi8(last_bytes[key]);
  BlockScan<K> scan(text, from, lengths, candidates, newlines);
  size_t position = from;
  for (; scan.Fits(position, to); position += 64) {
    const char* at = scan.Block(position);
    const __m512i here = _mm512_loadu_si512(at);
    const __m512i before = _mm512_loadu_si512(at - 1);
    uint64_t last_byte_before[K];
    for (int key = 0; key < K; ++key) last_byte_before[key] = _mm512_cmpeq_epi8_mask(before, lasts[key]);
    scan.Take(position, _mm512_cmpeq_epi8_mask(here, _mm512_set1_epi8('"')),
              _mm512_cmpeq_epi8_mask(here, _mm512_set1_epi8('\n')), last_byte_before);
  }
  candidates = scan.next_candidate();
  return position;
}

using ScanFunction = size_t (*)(std::string_view, size_t, size_t, const std::array<char, QuotedKeyFinder::kMaxKeys>&,
                                const std::array<size_t, QuotedKeyFinder::kMaxKeys>&, size_t*&, std::vector<size_t>*);

// The SIMD pass for `key_count` keys.
ScanFunction PassFor(size_t key_count, bool avx512) {
  static_assert(QuotedKeyFinder::kMaxKeys == 6);
  switch (key_count) {
    case 1: return avx512 ? ScanAvx512<1> : ScanAvx2<1>;
    case 2: return avx512 ? ScanAvx512<2> : ScanAvx2<2>;
    case 3: return avx512 ? ScanAvx512<3> : ScanAvx2<3>;
    case 4: return avx512 ? ScanAvx512<4> : ScanAvx2<4>;
    case 5: return avx512 ? ScanAvx512<5> : ScanAvx2<5>;
    default: return avx512 ? ScanAvx512<6> : ScanAvx2<6>;
  }
}

const bool kHaveAvx2 =
    __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
const bool kHaveAvx512 = kHaveAvx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");

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
  // The SIMD passes shift a 64-bit mask by a key's length + 1.
  if (longest_ < 63 && kHaveAvx2 && kernel_ != Kernel::kPortable) {
    const ScanFunction pass =
        PassFor(keys_.size(), kHaveAvx512 && (kernel_ == Kernel::kAuto || kernel_ == Kernel::kAvx512));
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
      position = pass(text, position, to, last_bytes_, lengths_, written, newlines);
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
