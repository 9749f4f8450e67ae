#include "execution/scalar/string_search.h"

#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "execution/scalar/unicode_case.h"
#include "execution/layer.h"

namespace kql::exec {

namespace {

// Finds the first position in [begin, end) whose byte equals `target`, or, when `fold` is set (target is a
// lowercase ASCII letter), whose byte ORed with 0x20 equals it — exactly the two cases of that letter.
const char* FindFirstByte(const char* begin, const char* end, unsigned char target, bool fold) {
  const char* pos = begin;
#ifdef __SSE2__
  const __m128i wanted = _mm_set1_epi8(static_cast<char>(target));
  const __m128i case_bit = _mm_set1_epi8(fold ? 0x20 : 0);
  while (pos + 16 <= end) {
    __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pos));
    int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(block, case_bit), wanted));
    if (mask != 0) return pos + __builtin_ctz(static_cast<unsigned>(mask));
    pos += 16;
  }
#endif
  const unsigned char case_bit_scalar = fold ? 0x20 : 0;
  for (; pos < end; ++pos) {
    if ((static_cast<unsigned char>(*pos) | case_bit_scalar) == target) return pos;
  }
  return nullptr;
}

bool EqualAsciiFold(const char* text, const char* lower_needle, size_t length) {
  for (size_t index = 0; index < length; ++index) {
    if (LowerAscii(text[index]) != lower_needle[index]) return false;
  }
  return true;
}

std::string& FoldBuffer() {
  thread_local std::string buffer;
  return buffer;
}

}  // namespace

StringSearcher::StringSearcher(std::string_view needle, bool case_sensitive, TermAnchor anchor)
    : case_sensitive_(case_sensitive), ascii_needle_(IsAscii(needle)) {
  if (case_sensitive) {
    needle_ = needle;
  } else {
    AppendFoldUtf8(needle, needle_);
  }
  if (!needle_.empty()) {
    check_start_ = (anchor == TermAnchor::kTerm || anchor == TermAnchor::kPrefix) &&
                   IsTermByte(static_cast<unsigned char>(needle_.front()));
    check_end_ = (anchor == TermAnchor::kTerm || anchor == TermAnchor::kSuffix) &&
                 IsTermByte(static_cast<unsigned char>(needle_.back()));
  }
}

bool StringSearcher::Matches(std::string_view haystack) const {
  if (needle_.empty()) return true;
  if (case_sensitive_) return MatchesFolded(haystack, false);
  if (ascii_needle_) return MatchesFolded(haystack, true);
  // A non-ASCII needle: fold the haystack with the same mapping (AppendFoldUtf8), then search exactly.
  std::string& folded = FoldBuffer();
  folded.clear();
  AppendFoldUtf8(haystack, folded);
  return MatchesFolded(folded, false);
}

bool StringSearcher::MatchesFolded(std::string_view haystack, bool fold_ascii) const {
  const size_t length = needle_.size();
  if (haystack.size() < length) return false;
  const char* data = haystack.data();
  const char* last_start = data + (haystack.size() - length);
  auto first = static_cast<unsigned char>(needle_[0]);
  bool fold_first = fold_ascii && first >= 'a' && first <= 'z';
  const char* pos = data;
  while (pos <= last_start) {
    const char* candidate = FindFirstByte(pos, last_start + 1, first, fold_first);
    if (!candidate) return false;
    bool equal = fold_ascii ? EqualAsciiFold(candidate + 1, needle_.data() + 1, length - 1)
                            : std::memcmp(candidate + 1, needle_.data() + 1, length - 1) == 0;
    if (equal) {
      bool start_ok = !check_start_ || candidate == data || !IsTermByte(static_cast<unsigned char>(candidate[-1]));
      const char* after = candidate + length;
      bool end_ok = !check_end_ || after == data + haystack.size() || !IsTermByte(static_cast<unsigned char>(*after));
      if (start_ok && end_ok) return true;
    }
    pos = candidate + 1;
  }
  return false;
}

bool EqualsIgnoreCase(std::string_view left, std::string_view right) {
  if (IsAscii(left) && IsAscii(right)) {
    if (left.size() != right.size()) return false;
    for (size_t index = 0; index < left.size(); ++index) {
      if (LowerAscii(left[index]) != LowerAscii(right[index])) return false;
    }
    return true;
  }
  std::string left_folded;
  std::string right_folded;
  AppendFoldUtf8(left, left_folded);
  AppendFoldUtf8(right, right_folded);
  return left_folded == right_folded;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (IsAscii(prefix)) {
    if (text.size() < prefix.size()) return false;
    for (size_t index = 0; index < prefix.size(); ++index) {
      if (LowerAscii(text[index]) != LowerAscii(prefix[index])) return false;
    }
    return true;
  }
  std::string text_folded;
  std::string prefix_folded;
  AppendFoldUtf8(text, text_folded);
  AppendFoldUtf8(prefix, prefix_folded);
  return text_folded.starts_with(prefix_folded);
}

bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  if (IsAscii(suffix) && IsAscii(text)) {
    if (text.size() < suffix.size()) return false;
    size_t offset = text.size() - suffix.size();
    for (size_t index = 0; index < suffix.size(); ++index) {
      if (LowerAscii(text[offset + index]) != LowerAscii(suffix[index])) return false;
    }
    return true;
  }
  std::string text_folded;
  std::string suffix_folded;
  AppendFoldUtf8(text, text_folded);
  AppendFoldUtf8(suffix, suffix_folded);
  return text_folded.ends_with(suffix_folded);
}

}  // namespace kql::exec
