#include "io/literal_prefilter.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kql {

namespace {

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char ToUpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

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

}  // namespace

bool ContainsCaseInsensitive(std::string_view haystack, std::string_view needle_lower) {
  if (needle_lower.empty()) return true;
  if (haystack.size() < needle_lower.size()) return false;
  const size_t last_index = needle_lower.size() - 1;
  const char first_lower = needle_lower[0];
  const char first_upper = ToUpperAscii(first_lower);
  const char last_lower = needle_lower[last_index];
  const char last_upper = ToUpperAscii(last_lower);
  const char* data = haystack.data();
  const size_t last_start = haystack.size() - needle_lower.size();
  size_t position = 0;
#if defined(__SSE2__)
  // Compares the needle's first and last bytes at 16 start positions at once; only positions where both match
  // are verified, which keeps common first letters cheap.
  const __m128i first_l = _mm_set1_epi8(first_lower);
  const __m128i first_u = _mm_set1_epi8(first_upper);
  const __m128i last_l = _mm_set1_epi8(last_lower);
  const __m128i last_u = _mm_set1_epi8(last_upper);
  while (position + 16 <= last_start + 1) {
    __m128i head = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + position));
    __m128i tail = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + position + last_index));
    __m128i head_match = _mm_or_si128(_mm_cmpeq_epi8(head, first_l), _mm_cmpeq_epi8(head, first_u));
    __m128i tail_match = _mm_or_si128(_mm_cmpeq_epi8(tail, last_l), _mm_cmpeq_epi8(tail, last_u));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(head_match, tail_match)));
    while (mask != 0) {
      size_t candidate = position + static_cast<size_t>(__builtin_ctz(mask));
      if (EqualsLowered(data + candidate + 1, needle_lower.substr(1))) return true;
      mask &= mask - 1;
    }
    position += 16;
  }
#endif
  for (; position <= last_start; ++position) {
    char c = data[position];
    if ((c == first_lower || c == first_upper) && EqualsLowered(data + position + 1, needle_lower.substr(1))) {
      return true;
    }
  }
  return false;
}

LiteralPrefilter::LiteralPrefilter(const std::vector<std::vector<std::string>>& conjuncts, Encoding encoding) {
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
    if (searchable) conjuncts_.push_back(std::move(encoded));
  }
}

bool LiteralPrefilter::MayMatch(std::string_view record) const {
  for (const auto& alternatives : conjuncts_) {
    bool found = false;
    for (const std::string& literal : alternatives) {
      if (ContainsCaseInsensitive(record, literal)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

bool LiteralPrefilter::HasHidingEscape(std::string_view record) {
  const char* cursor = record.data();
  const char* end = record.data() + record.size();
  while (true) {
    const void* hit = std::memchr(cursor, '\\', static_cast<size_t>(end - cursor));
    if (!hit) return false;
    const char* slash = static_cast<const char*>(hit);
    if (slash + 1 >= end) return false;
    char next = slash[1];
    if (next == '/') return true;
    // Literals are ASCII (others are never searched), so only \u0000-\u007F can spell one of their bytes.
    if (next == 'u') {
      if (end - slash < 6) return true;
      if (slash[2] == '0' && slash[3] == '0' && slash[4] >= '0' && slash[4] <= '7') return true;
    }
    // Skip the escaped character so "\\u" (an escaped backslash then 'u') is not mistaken for \u.
    cursor = slash + 2;
  }
}

}  // namespace kql
