// LiteralSet: answers "does this text contain any of these literals?" (ASCII case-insensitive) in one pass over the
// text, however many literals there are — the hunt's shared scan searches hundreds of rules' literals at once.
// It is a filter for raw records, not a general string matcher: it reports whether, or (FindAll) where, never which.
//
// Two matchers give the same answers: a hashed matcher of our own, which checks every position of the text, and,
// when kqlite is built with Hyperscan (Debian's libhyperscan-dev, x86-64) and the CPU runs it, a Hyperscan
// database. Compiling the database costs ~10 ms of CPU for a rule pack's literals, so a set starts with the
// hashed matcher and compiles once the sets with the same literals have searched kHashedBytesBeforeCompiling
// bytes: small inputs never pay for it. The database is compiled once and shared by every LiteralSet with the same
// literals (the JSON and CSV readers build their prefilter per morsel), and each thread scans with its own scratch.
// FindAll lists the occurrences in a block of many records in one call, for readers that search block by block.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include "io/layer.h"

namespace kql::io {

/// A set of lowercase ASCII literals searched together.
class LiteralSet {
 public:
  /// Which matcher a set uses.
  enum class Matcher {
    kBest,       ///< Hashed first, Hyperscan once enough bytes were searched (when built in and runnable).
    kHyperscan,  ///< Hyperscan from the first search when built in and runnable, else kHashed.
    kHashed,     ///< The portable matcher (also the reference the Hyperscan matcher is tested against).
  };
  /// Bytes kBest sets with the same literals search with the hashed matcher before Hyperscan is compiled.
  static constexpr uint64_t kHashedBytesBeforeCompiling = uint64_t{4} << 20;

  LiteralSet() = default;
  /// `literals_lower` must be non-empty lowercase ASCII strings (LiteralPrefilter's encoded literals).
  /// `markers` are exact (case-sensitive) strings that FindAll also lists, apart, in the same Hyperscan pass — a
  /// reader's way to locate keys it needs anyway; they never make a text "contain" a literal.
  explicit LiteralSet(const std::vector<std::string>& literals_lower, Matcher matcher = Matcher::kBest,
                      const std::vector<std::string>& markers = {});

  /// True when `text` contains at least one literal, ignoring ASCII case.
  bool ContainedIn(std::string_view text) const;

  /// One occurrence of a literal: byte offsets [begin, end) in the searched text.
  struct Occurrence {
    uint32_t begin = 0;
    uint32_t end = 0;
    uint32_t marker = 0;  ///< In FindAll's `markers`: the marker's index in the constructor's list.
  };
  /// Sets `out` to every occurrence of every literal in `text`, ordered by end offset, in one Hyperscan pass
  /// (one call over many records is cheaper than one call per record). Returns false, leaving `out` unspecified,
  /// when this set does not search with Hyperscan yet (see UsesHyperscan) or more than `max_occurrences` occur;
  /// the caller then asks ContainedIn record by record.
  /// With `markers`, it is set to the markers' occurrences (ordered by end; counted against max_occurrences).
  bool FindAll(std::string_view text, size_t max_occurrences, std::vector<Occurrence>& out,
               std::vector<Occurrence>* markers = nullptr) const;
  /// True when the set has no literals (then nothing is ever contained).
  bool empty() const { return !hashed_ || (hashed_->long_literals.empty() && hashed_->short_literals.empty()); }
  /// True when this set's next search uses Hyperscan.
  bool UsesHyperscan() const;
  /// True when this build has Hyperscan and the CPU can run it.
  static bool HyperscanAvailable();

  struct Shared;  ///< Per distinct literal list: bytes searched so far and the Hyperscan database, once compiled.

 private:
  bool ContainedInHashed(std::string_view text) const;

  std::shared_ptr<Shared> shared_;  // Null when this set only ever uses the hashed matcher.

 public:
  /// Literals of at least kKeyBytes bytes: found through a hash of their first kKeyBytes (case-folded) bytes.
  struct Keyed {
    std::string literal;
    uint32_t key = 0;  // First kKeyBytes bytes, little-endian, with 0x20 OR-ed into every byte.
  };
  static constexpr size_t kKeyBytes = 4;
  static constexpr int kFilterBits = 16;  // A 64 Kibit (8 KiB) filter stays in L1 while scanning.
  static constexpr int kBucketBits = 12;
  /// The hashed matcher's tables for one literal list. They never change once built, and sets of the same list
  /// share them (readers build a set per morsel).
  struct Hashed {
    std::vector<Keyed> long_literals;          // Sorted by bucket.
    std::vector<uint32_t> bucket_start;        // (1 << kBucketBits) + 1 offsets into long_literals.
    std::vector<uint64_t> filter;              // Bit per hash value that some literal's key produces.
    std::vector<std::string> short_literals;  // Shorter literals, searched one at a time.
  };

 private:
  std::shared_ptr<const Hashed> hashed_;
};

}  // namespace kql::io
