#include "io/json_key_locator.h"

#include <algorithm>
#include <array>
#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "io/quoted_key_finder.h"
#include "io/layer.h"

namespace kql::io {

namespace {

/// Calls `visit(position)` for each position where `signature` occurs (a quote and bytes of the keys' common
/// prefix; bytes of `signature` equal to 0 match anything), in order; stops when it returns false (and then
/// returns false).
template <typename Visit>
bool ForEachSignatureScalar(std::string_view text, size_t from, const JsonKeyLocator::Signature& signature,
                            Visit& visit) {
  for (size_t position = from; position + signature.far < text.size(); ++position) {
    if (text[position] == '"' && text[position + 1] == signature.second &&
        text[position + signature.far] == signature.far_byte) {
      if (!visit(position)) return false;
    }
  }
  return true;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define KQL_KEY_LOCATOR_AVX2 1
template <typename Visit>
__attribute__((target("avx2,bmi"))) bool ForEachSignatureAvx2(std::string_view text,
                                                               const JsonKeyLocator::Signature& signature,
                                                               Visit& visit) {
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i second = _mm256_set1_epi8(signature.second);
  const __m256i far_byte = _mm256_set1_epi8(signature.far_byte);
  const char* data = text.data();
  size_t position = 0;
  for (; position + 32 + signature.far <= text.size(); position += 32) {
    __m256i here = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + position));
    __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + position + 1));
    __m256i far = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + position + signature.far));
    __m256i hit = _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(here, quote), _mm256_cmpeq_epi8(next, second)),
                                   _mm256_cmpeq_epi8(far, far_byte));
    auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(hit));
    while (mask != 0) {
      if (!visit(position + static_cast<size_t>(__builtin_ctz(mask)))) return false;
      mask &= mask - 1;
    }
  }
  return ForEachSignatureScalar(text, position, signature, visit);
}

const bool kHaveAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");
#endif

template <typename Visit>
bool ForEachSignature(std::string_view text, const JsonKeyLocator::Signature& signature, Visit& visit) {
#ifdef KQL_KEY_LOCATOR_AVX2
  if (kHaveAvx2) return ForEachSignatureAvx2(text, signature, visit);
#endif
  return ForEachSignatureScalar(text, 0, signature, visit);
}

/// True when byte `position` of `record` lies outside strings, directly inside the outer object.
bool InOuterObject(std::string_view record, size_t position) {
  int depth = 0;
  bool in_string = false;
  for (size_t index = 0; index < position; ++index) {
    char c = record[index];
    if (in_string) {
      if (c == '\\') {
        ++index;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return !in_string && depth == 1;
}

}  // namespace

JsonKeyLocator::JsonKeyLocator(std::vector<std::string> keys) : keys_(std::move(keys)) {
  if (keys_.empty() || keys_.size() > kMaxKeys) return;
  // The quoted keys' common prefix: `"` and at least one byte; its last byte (up to the fourth) is the far probe.
  size_t common = keys_[0].size();
  for (const std::string& key : keys_) {
    if (key.empty()) return;
    size_t length = 0;
    while (length < common && length < key.size() && key[length] == keys_[0][length]) ++length;
    common = length;
  }
  if (common == 0) return;
  signature_.second = keys_[0][0];
  signature_.far = std::min<size_t>(common, 4);
  signature_.far_byte = keys_[0][signature_.far - 1];
  usable_ = true;
}

std::vector<std::string> JsonKeyLocator::QuotedKeys() const {
  std::vector<std::string> quoted;
  if (!usable_) return quoted;
  for (const std::string& key : keys_) quoted.push_back("\"" + key + "\"");
  return quoted;
}

bool JsonKeyLocator::Locate(std::string_view record, std::vector<Value>& values) const {
  if (!usable_ || record.size() < 2 || record.front() != '{' || record.back() != '}') return false;
  // Where each key's quoted name occurs (npos: nowhere); a second occurrence anywhere makes the answer uncertain.
  std::array<size_t, kMaxKeys> found;
  found.fill(std::string_view::npos);
  auto visit = [&](size_t quote) {
    for (size_t index = 0; index < keys_.size(); ++index) {
      const std::string& key = keys_[index];
      size_t end = quote + 1 + key.size();
      if (end < record.size() && record[end] == '"' && record.compare(quote + 1, key.size(), key) == 0) {
        if (found[index] != std::string_view::npos) return false;
        found[index] = quote;
      }
    }
    return true;
  };
  if (!ForEachSignature(record, signature_, visit)) return false;
  return ReadValues(record, found, values);
}

bool JsonKeyLocator::LocateFound(std::string_view record, const std::vector<KeyAt>& occurrences,
                                 std::vector<Value>& values) const {
  if (!usable_ || record.size() < 2 || record.front() != '{' || record.back() != '}') return false;
  std::array<size_t, kMaxKeys> found;
  found.fill(std::string_view::npos);
  for (const KeyAt& occurrence : occurrences) {
    if (occurrence.key >= keys_.size() || found[occurrence.key] != std::string_view::npos) return false;
    found[occurrence.key] = occurrence.offset;
  }
  return ReadValues(record, found, values);
}

bool JsonKeyLocator::ReadValues(std::string_view record, const std::array<size_t, kMaxKeys>& found,
                                std::vector<Value>& values) const {
  values.assign(keys_.size(), Value{});
  for (size_t index = 0; index < keys_.size(); ++index) {
    size_t quote = found[index];
    if (quote == std::string_view::npos) continue;
    if (quote > kMaxKeyOffset) return false;
    // A key (after `{` or `,`, followed by `:`) directly in the outer object, with a null or escape-free string value
    // and then `,` or `}`.
    QuotedKeyFinder::Value value = QuotedKeyFinder::ValueAt(record, quote, keys_[index].size());
    if (value.kind == QuotedKeyFinder::ValueKind::kUncertain || value.escapes) return false;
    if (!InOuterObject(record, quote)) return false;
    if (value.kind == QuotedKeyFinder::ValueKind::kString) {
      // Raw control characters are not valid in a JSON string: the full parser rejects the record.
      for (char c : value.text) {
        if (static_cast<unsigned char>(c) < 0x20) return false;
      }
      values[index] = Value{true, value.text};
    }
    if (value.after >= record.size() || (record[value.after] != ',' && record[value.after] != '}')) return false;
  }
  return true;
}

}  // namespace kql::io
