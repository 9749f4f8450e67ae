#include "io/literal_set.h"

#include <algorithm>
#include <cstring>

#include "io/literal_prefilter.h"

namespace kql {
namespace {

// OR-ing 0x20 into a byte maps an ASCII letter of either case to its lowercase form and leaves equal bytes equal,
// so a text window and a literal that match case-insensitively always have equal folded keys. Some punctuation
// folds onto other punctuation; those collisions only cost a verification.
constexpr uint32_t kFold = 0x20202020u;

uint32_t LoadKey(const char* bytes) {
  uint32_t key;
  std::memcpy(&key, bytes, sizeof(key));
  return key | kFold;
}

uint32_t Hash(uint32_t key, int bits) { return (key * 2654435761u) >> (32 - bits); }

bool EqualsIgnoringCase(const char* text, std::string_view literal_lower) {
  for (size_t index = 0; index < literal_lower.size(); ++index) {
    char c = text[index];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != literal_lower[index]) return false;
  }
  return true;
}

}  // namespace

LiteralSet::LiteralSet(const std::vector<std::string>& literals_lower) {
  for (const std::string& literal : literals_lower) {
    if (literal.empty()) continue;
    if (literal.size() < kKeyBytes) {
      short_.push_back(literal);
    } else {
      long_.push_back(Keyed{literal, LoadKey(literal.data())});
    }
  }
  if (long_.empty()) return;
  // A literal that contains another is redundant for "contains any"; keeping it is harmless, so no pruning.
  std::sort(long_.begin(), long_.end(), [](const Keyed& a, const Keyed& b) {
    uint32_t bucket_a = Hash(a.key, kBucketBits), bucket_b = Hash(b.key, kBucketBits);
    return bucket_a != bucket_b ? bucket_a < bucket_b : a.literal < b.literal;
  });
  bucket_start_.assign((size_t{1} << kBucketBits) + 1, 0);
  for (const Keyed& keyed : long_) ++bucket_start_[Hash(keyed.key, kBucketBits) + 1];
  for (size_t bucket = 1; bucket < bucket_start_.size(); ++bucket) bucket_start_[bucket] += bucket_start_[bucket - 1];
  filter_.assign((size_t{1} << kFilterBits) / 64, 0);
  for (const Keyed& keyed : long_) {
    uint32_t bit = Hash(keyed.key, kFilterBits);
    filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
}

bool LiteralSet::ContainedIn(std::string_view text) const {
  for (const std::string& literal : short_) {
    if (ContainsCaseInsensitive(text, literal)) return true;
  }
  if (long_.empty() || text.size() < kKeyBytes) return false;
  const char* data = text.data();
  const size_t last_start = text.size() - kKeyBytes;
  const uint64_t* filter = filter_.data();
  for (size_t position = 0; position <= last_start; ++position) {
    const uint32_t key = LoadKey(data + position);
    const uint32_t bit = Hash(key, kFilterBits);
    if ((filter[bit >> 6] >> (bit & 63) & 1) == 0) continue;
    const uint32_t bucket = Hash(key, kBucketBits);
    const size_t remaining = text.size() - position;
    for (uint32_t index = bucket_start_[bucket]; index < bucket_start_[bucket + 1]; ++index) {
      const Keyed& keyed = long_[index];
      if (keyed.key != key || keyed.literal.size() > remaining) continue;
      if (EqualsIgnoringCase(data + position, keyed.literal)) return true;
    }
  }
  return false;
}

}  // namespace kql
