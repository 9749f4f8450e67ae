// QuotedKeyFinder: finds the quoted names of a few keys ("Key" followed by a colon or a space) in JSON-lines text in
// one SIMD pass, with the line ends, and reads the plain string value of a key that occurs once in a record. The
// hunt's shared pass uses it to search rule literals in the values of the columns the rules test rather than in
// whole records (most of a record's bytes are other columns and the keys themselves).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/layer.h"

namespace kql::io {

/// Finds the quoted names of up to kMaxKeys keys in flat JSON records.
class QuotedKeyFinder {
 public:
  static constexpr size_t kMaxKeys = 6;

  /// One occurrence of `"key"` in the searched text: the key's index and the offset of its opening quote.
  struct Occurrence {
    uint32_t key = 0;
    size_t offset = 0;
  };

  /// What a key's value is, as far as a quick look can tell.
  enum class ValueKind {
    kNull,       ///< The key does not occur, or its value is null: the parser leaves the cell null.
    kString,     ///< A string value whose raw bytes (between the quotes, escapes as written) are `text`.
    kUncertain,  ///< Anything else (repeated key, not shaped as a key, number, object, malformed): parse the record.
  };
  struct Value {
    ValueKind kind = ValueKind::kNull;
    std::string_view text;
    bool escapes = false;  ///< kString: the text holds a backslash.
    size_t after = 0;      ///< kNull, kString: the offset of the first byte past the value and the spaces after it.
  };

  QuotedKeyFinder() = default;
  /// `keys` are raw key names (the bytes between the quotes, as the full parser matches them). The finder is
  /// usable when there are 1..kMaxKeys of them, none empty or holding '"', '\\' or a byte below 0x20.
  explicit QuotedKeyFinder(std::vector<std::string> keys);
  bool usable() const { return usable_; }

  /// The pass FindAll runs: the fastest this CPU has (kAuto), or a named one, for tests that compare them. Without
  /// the CPU's support, kAvx512 runs as kAvx2, and kAvx2 as kPortable (byte by byte). Keys of 63 bytes or more are
  /// always found byte by byte.
  enum class Kernel { kAuto, kPortable, kAvx2, kAvx512 };
  void set_kernel(Kernel kernel) { kernel_ = kernel; }

  /// Appends to `found`, ordered by offset, every occurrence in `text` of a quoted key that a colon or a JSON space
  /// follows: every occurrence that could be a key (inside or outside strings, at any depth); occurrences followed
  /// by anything else are values or parts of strings. With `newlines`, also appends the offset of every '\n' to it,
  /// ordered.
  /// Not for concurrent use (it keeps its candidates between calls).
  void FindAll(std::string_view text, std::vector<Occurrence>& found, std::vector<size_t>* newlines = nullptr);

  /// The value of key `key` in `record`, given the occurrences FindAll listed for the text `record` lies at offset
  /// `base` of (all of those inside the record, in [first, last)): kNull when there are none, else the value after
  /// the one occurrence when it is shaped as a key (after `{` or `,`, then `:`) and is null or a string; else
  /// kUncertain. That occurrence may be a key of a nested object when the record has none at the top: its value is
  /// then read, which only makes a search of the values keep more records (the parser's cell is null).
  Value ValueOf(std::string_view record, size_t base, const Occurrence* first, const Occurrence* last,
                uint32_t key) const;
  /// The value of the key whose quoted name, `key_size` bytes between its quotes, opens at offset `open` of `record`:
  /// kUncertain unless it is shaped as a key (after `{` or `,` and spaces, then spaces and `:`) with a null or string
  /// value. A string's text ends at the first quote no backslash escapes.
  static Value ValueAt(std::string_view record, size_t open, size_t key_size);

 private:
  // Checks the candidates (quotes that may end a key) in [first, last); kAfterEveryKey: each lies after where the
  // longest key would open (the SIMD pass's candidates).
  template <bool kAfterEveryKey>
  void CheckCandidates(std::string_view text, const size_t* first, const size_t* last,
                       std::vector<Occurrence>& found) const;
  // The bytes the SIMD pass reads before it checks their candidates (few enough that they are still in cache).
  static constexpr size_t kWindowBytes = size_t{16} << 10;

  std::vector<std::string> keys_;
  // Per key, its last byte and its length (for the SIMD pass), and the longest length.
  std::array<char, kMaxKeys> last_bytes_{};
  std::array<size_t, kMaxKeys> lengths_{};
  size_t longest_ = 0;
  // FindAll's quotes that may end a key, before they are checked: those found byte by byte, and room for those
  // the SIMD pass finds in one window (at most one per byte).
  std::vector<size_t> candidates_;
  std::vector<size_t> window_candidates_;
  bool usable_ = false;
  Kernel kernel_ = Kernel::kAuto;
};

}  // namespace kql::io
