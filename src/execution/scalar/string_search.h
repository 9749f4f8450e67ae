// StringSearcher: finds a fixed needle in strings, case-sensitively or not, optionally anchored at KQL term
// boundaries (has, hasprefix, hassuffix). It is the hot path of `where RemoteUrl has '...'`: the needle is
// prepared once and the first byte is located sixteen bytes at a time. It does not tokenise or index strings.
#pragma once
#include <string>
#include <string_view>
#include "execution/layer.h"

namespace kql::exec {

/// Where a match must sit relative to term boundaries. A term is a maximal run of ASCII letters and digits
/// (bytes of non-ASCII characters count as term characters, so "café" is one term).
enum class TermAnchor {
  kNone,    ///< Substring (contains).
  kTerm,    ///< Whole term (has): term boundaries before and after.
  kPrefix,  ///< Term prefix (hasprefix): a boundary before.
  kSuffix,  ///< Term suffix (hassuffix): a boundary after.
};

/// True for bytes that belong to terms.
inline bool IsTermByte(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}

/// A prepared needle.
class StringSearcher {
 public:
  StringSearcher() = default;
  /// A boundary is only required where the needle's own edge is a term character: `has '.io'` needs a term
  /// boundary after "io" but not before ".".
  StringSearcher(std::string_view needle, bool case_sensitive, TermAnchor anchor);

  /// True when the needle occurs in `haystack` as the anchor requires. An empty needle matches everything.
  bool Matches(std::string_view haystack) const;

  const std::string& needle() const { return needle_; }

 private:
  bool MatchesFolded(std::string_view haystack, bool fold_ascii) const;

  std::string needle_;  ///< Folded with AppendFoldUtf8 when case-insensitive.
  bool case_sensitive_ = true;
  bool ascii_needle_ = true;
  bool check_start_ = false;
  bool check_end_ = false;
};

/// Case-insensitive equality of UTF-8 strings (=~).
bool EqualsIgnoreCase(std::string_view left, std::string_view right);
/// Case-insensitive prefix and suffix tests (startswith, endswith).
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);
bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix);

}  // namespace kql::exec
