// JsonKeyLocator: reads a few top-level keys of a flat JSON record (one object per line) without parsing the
// record, for the side scan that reads every record's time columns during the hunt's shared pass. It answers only
// when a quick look is certain to agree with the full parser; otherwise the record is parsed in full.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/literal_prefilter.h"
#include "io/layer.h"

namespace kql::io {

/// Finds the values of some keys at the top level of flat JSON records.
class JsonKeyLocator {
 public:
  /// A key's value in one record.
  struct Value {
    bool present = false;   ///< False: the key is absent, or its value is null (the cell stays null).
    std::string_view text;  ///< The string value without its quotes (it has no escapes).
  };

  /// `keys` are raw key names (as the full parser matches them: the bytes between the quotes).
  explicit JsonKeyLocator(std::vector<std::string> keys);

  /// Fills `values` (one per key) and returns true when the answer is certain: `record` is `{...}`, each key occurs
  /// at most once anywhere in it, and an occurring key sits in the outer object (within its first
  /// kMaxKeyOffset bytes) with a null or escape-free string value. Returns false otherwise (nested or repeated
  /// keys, numbers, escapes, a key far into the record): the record must then be parsed in full.
  /// The record's other bytes are not validated: a malformed record that still has this shape is read.
  bool Locate(std::string_view record, std::vector<Value>& values) const;

  /// One occurrence of a key's quoted name in a record, as the prefilter's block search lists its markers: the
  /// key's index (`key`) and the offset of its opening quote.
  using KeyAt = LiteralPrefilter::MarkerAt;
  /// As Locate, with the occurrences of the quoted keys already found by a search of their exact bytes (every
  /// occurrence in the record, as the block search lists QuotedKeys(), or at least every one a colon or a space
  /// follows: only those can be keys, and a value spelled like a key does not change what the parser reads).
  bool LocateFound(std::string_view record, const std::vector<KeyAt>& occurrences, std::vector<Value>& values) const;
  /// The keys as the exact byte strings whose occurrences LocateFound needs (`"key"`); empty when the locator never
  /// answers.
  std::vector<std::string> QuotedKeys() const;

  /// How far into a record a key may start for the locator to answer (beyond it the record is parsed).
  static constexpr size_t kMaxKeyOffset = 512;
  /// The most keys one locator reads (with more, or with keys that share no first byte, it always declines).
  static constexpr size_t kMaxKeys = 8;

  /// What a key occurrence looks like to the byte search: a quote at position p, `second` at p + 1 and `far_byte`
  /// at p + `far` (the last byte of the keys' common prefix, at most its fourth).
  struct Signature {
    char second = 0;
    size_t far = 1;
    char far_byte = 0;
  };

 private:
  /// Checks the found occurrences (npos: none) and reads the values.
  bool ReadValues(std::string_view record, const std::array<size_t, kMaxKeys>& found,
                  std::vector<Value>& values) const;

  std::vector<std::string> keys_;
  Signature signature_;
  bool usable_ = false;
};

}  // namespace kql::io
