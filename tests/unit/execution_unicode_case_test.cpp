// Unit tests for the Unicode case mapping behind tolower/toupper and the case-insensitive operators: properties
// over every code point that a golden file cannot enumerate.
#include <gtest/gtest.h>

#include <string>

#include "execution/scalar/string_search.h"
#include "execution/scalar/unicode_case.h"
#include "types/utf8.h"
#include "rules/layer.h"

namespace kql::exec {
namespace {

std::string Encoded(uint32_t code) {
  std::string text;
  AppendUtf8(text, code);
  return text;
}

// The ASCII fast paths (StringSearcher with an ASCII needle, StartsWithIgnoreCase) compare bytes with LowerAscii,
// which is only right if no non-ASCII character folds to an ASCII key.
TEST(UnicodeCaseTest, NoNonAsciiCodePointFoldsToAscii) {
  for (uint32_t code = 0x80; code <= 0x10FFFF; ++code) {
    if (code >= 0xD800 && code < 0xE000) continue;
    std::string folded;
    AppendFoldUtf8(Encoded(code), folded);
    ASSERT_FALSE(IsAscii(folded)) << "U+" << std::hex << code;
  }
}

// Folding is a key: a character's lowercase and uppercase forms fold like the character itself whenever .NET's
// OrdinalIgnoreCase calls them equal (same simple uppercase), e.g. every Greek sigma.
TEST(UnicodeCaseTest, FoldKeysAgreeWithUppercase) {
  for (uint32_t code = 0x80; code <= 0xFFFF; ++code) {
    if (code >= 0xD800 && code < 0xE000) continue;
    const std::string text = Encoded(code);
    std::string upper;
    AppendUpperUtf8(text, upper);
    if (!IsAscii(upper) && code != 0x131 && code != 0x17F) {
      EXPECT_TRUE(EqualsIgnoreCase(text, upper)) << "U+" << std::hex << code;
    }
  }
  EXPECT_TRUE(EqualsIgnoreCase("\xCF\x82", "\xCF\x83"));     // ς and σ
  EXPECT_TRUE(EqualsIgnoreCase("\xCF\x82", "\xCE\xA3"));     // ς and Σ
  EXPECT_FALSE(EqualsIgnoreCase("\xC4\xB1", "I"));            // ı and I
  EXPECT_FALSE(EqualsIgnoreCase("\xE2\x84\xAA", "k"));        // Kelvin sign and k
}

TEST(UnicodeCaseTest, InvalidUtf8PassesThrough) {
  const std::string bytes = "A\xFF" "b\xC3";
  std::string lower;
  AppendLowerUtf8(bytes, lower);
  EXPECT_EQ(lower, "a\xFF" "b\xC3");
  std::string folded;
  AppendFoldUtf8(bytes, folded);
  EXPECT_EQ(folded, "a\xFF" "b\xC3");
}

}  // namespace
}  // namespace kql::exec
