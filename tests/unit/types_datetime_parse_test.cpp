// Unit tests of ParseDateTime's fixed-offset path for "yyyy-mm-ddThh:mm:ss[.f]Z": every string of that shape (and
// near misses) must parse exactly as the general ISO reader does. The general reader is reached by spelling the
// same instant differently ("t" for "T", "+00:00" for "Z").
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "types/datetime.h"

namespace kql {
namespace {

std::optional<int64_t> General(std::string text) {
  if (text.size() > 10 && text[10] == 'T') text[10] = 't';
  if (!text.empty() && text.back() == 'Z') text = text.substr(0, text.size() - 1) + "+00:00";
  return ParseDateTime(text);
}

TEST(TypesDateTimeParse, FixedShapeEqualsTheGeneralReader) {
  const char* cases[] = {
      "2025-12-25T00:00:00.2879354Z", "2025-12-25T00:00:00Z",        "2025-12-25T00:00:00.1Z",
      "2024-02-29T23:59:59.9999999Z", "2023-02-29T00:00:00Z",        "2025-13-01T00:00:00Z",
      "2025-12-32T00:00:00Z",         "2025-12-25T24:00:00Z",        "2025-12-25T00:60:00Z",
      "2025-12-25T00:00:60Z",         "0000-01-01T00:00:00Z",        "9999-12-31T23:59:59.9999999Z",
      "2025-12-25T00:00:00.12345678Z", "2025-12-25T00:00:00.Z",      "2025-12-25T00:0a:00Z",
      "2025-1-25T00:00:00Z",          "2025-12-25T00:00:00.000000000001Z", "1601-01-01T00:00:00Z",
  };
  for (const char* text : cases) {
    EXPECT_EQ(ParseDateTime(text), General(text)) << text;
  }
  EXPECT_EQ(ParseDateTime("2025-12-25T00:00:00.2879354Z"), ParseDateTime("2025-12-25 00:00:00.2879354"));
  EXPECT_FALSE(ParseDateTime("2023-02-29T00:00:00Z").has_value());
  // Spaces around the fixed shape are trimmed before it is read again.
  EXPECT_EQ(ParseDateTime("  2025-12-25T00:00:00.2879354Z\t"), ParseDateTime("2025-12-25T00:00:00.2879354Z"));
  EXPECT_TRUE(ParseDateTime(" 2025-12-25T00:00:00.2879354Z").has_value());

  std::mt19937 random(20261207);
  for (int round = 0; round < 20000; ++round) {
    char text[64];
    int fraction_digits = static_cast<int>(random() % 9);
    std::string fraction;
    for (int digit = 0; digit < fraction_digits; ++digit) fraction += static_cast<char>('0' + random() % 10);
    std::snprintf(text, sizeof text, "%04u-%02u-%02uT%02u:%02u:%02u%s%sZ", static_cast<unsigned>(random() % 10000),
                  static_cast<unsigned>(random() % 14), static_cast<unsigned>(random() % 33),
                  static_cast<unsigned>(random() % 25), static_cast<unsigned>(random() % 61),
                  static_cast<unsigned>(random() % 61), fraction_digits > 0 ? "." : "", fraction.c_str());
    ASSERT_EQ(ParseDateTime(text), General(text)) << text;
  }
}

}  // namespace
}  // namespace kql
