// Unit tests of the multi-literal matcher (LiteralSet): the Hyperscan matcher (when built in) against the hashed
// matcher and a naive search on random literal sets and texts, and the JSON prefilter's exactness with long literal
// lists: a record whose decoded value contains a literal is never rejected, whatever escapes spell it.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "io/literal_prefilter.h"
#include "io/literal_set.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerAscii(std::string text) {
  for (char& c : text) c = LowerAscii(c);
  return text;
}

bool NaiveContainsAny(std::string_view text, const std::vector<std::string>& literals_lower) {
  const std::string lowered = LowerAscii(std::string(text));
  for (const auto& literal : literals_lower) {
    if (!literal.empty() && lowered.find(literal) != std::string::npos) return true;
  }
  return false;
}

// Bytes a raw record can hold: letters of both cases, digits, JSON punctuation, escapes' backslashes, bytes that
// OR-ing 0x20 folds onto others ('@' and '`', '[' and '{'), UTF-8 bytes, and a NUL.
const std::string kAlphabet = std::string("abcxyzABCXYZ019.-_/\\\":{}@`[ ") + "\xc3\xa9\xff" + std::string(1, '\0');

std::string RandomText(std::mt19937& random, size_t length, std::string_view alphabet) {
  std::string text;
  for (size_t i = 0; i < length; ++i) text.push_back(alphabet[random() % alphabet.size()]);
  return text;
}

// Randomly flips the case of ASCII letters.
std::string ScrambleCase(std::mt19937& random, std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z' && random() % 2) c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

TEST(LiteralSetMatcher, ReportsWhichMatcherItUses) {
  LiteralSet hyperscan(std::vector<std::string>{"tacticalrmm.io", "ab"}, LiteralSet::Matcher::kHyperscan);
  LiteralSet hashed(std::vector<std::string>{"tacticalrmm.io", "ab"}, LiteralSet::Matcher::kHashed);
  EXPECT_EQ(hyperscan.UsesHyperscan(), LiteralSet::HyperscanAvailable());
  EXPECT_FALSE(hashed.UsesHyperscan());
  EXPECT_FALSE(hyperscan.empty());
  EXPECT_TRUE(LiteralSet(std::vector<std::string>{""}).empty());
  EXPECT_FALSE(LiteralSet(std::vector<std::string>{"", "x"}).ContainedIn("abc"));
  EXPECT_TRUE(LiteralSet(std::vector<std::string>{"", "x"}).ContainedIn("aXc"));
}

// Same answers as the hashed matcher and a naive search, for sets from one literal to a rule pack's size.
TEST(LiteralSetMatcher, DifferentialAgainstHashedMatcherAndNaiveSearch) {
  std::mt19937 random(2026);
  int hits = 0, rounds = 0;
  for (size_t set_size : {1, 2, 5, 17, 60, 300, 700}) {
    std::vector<std::string> literals;
    for (size_t i = 0; i < set_size; ++i) literals.push_back(LowerAscii(RandomText(random, 1 + random() % 9, kAlphabet)));
    LiteralSet best(literals, LiteralSet::Matcher::kHyperscan);
    LiteralSet hashed(literals, LiteralSet::Matcher::kHashed);
    for (int round = 0; round < 1500; ++round, ++rounds) {
      std::string text = RandomText(random, random() % 120, kAlphabet);
      // Half the texts carry one literal, case scrambled, at a random place (often the very start or end).
      if (round % 2 == 0) {
        std::string literal = ScrambleCase(random, literals[random() % literals.size()]);
        text.insert(random() % 3 == 0 ? text.size() : random() % (text.size() + 1), literal);
      }
      bool expected = NaiveContainsAny(text, literals);
      hits += expected;
      ASSERT_EQ(hashed.ContainedIn(text), expected) << "set of " << set_size << ", text " << text;
      ASSERT_EQ(best.ContainedIn(text), expected) << "set of " << set_size << ", text " << text;
      // A prefix cut short of the inserted literal's end must not match beyond the text.
      std::string_view prefix(text.data(), text.size() / 2);
      ASSERT_EQ(best.ContainedIn(prefix), NaiveContainsAny(prefix, literals)) << prefix;
    }
  }
  EXPECT_GT(hits, rounds / 3);
  EXPECT_LT(hits, rounds);
}

// Case folds ASCII letters only: punctuation that differs from another by 0x20, and UTF-8 bytes, stay distinct.
TEST(LiteralSetMatcher, FoldsAsciiLettersOnly) {
  std::vector<std::string> literals = {"a@b", "[x]", "\xc3\xa9t\xc3\xa9", "q"};
  for (auto matcher : {LiteralSet::Matcher::kHyperscan, LiteralSet::Matcher::kHashed}) {
    LiteralSet set(literals, matcher);
    EXPECT_TRUE(set.ContainedIn("zzA@Bzz"));
    EXPECT_FALSE(set.ContainedIn("zza`bzz"));
    EXPECT_FALSE(set.ContainedIn("{x}"));
    EXPECT_TRUE(set.ContainedIn("[X]"));
    EXPECT_TRUE(set.ContainedIn("\xc3\xa9T\xc3\xa9"));
    EXPECT_FALSE(set.ContainedIn("\xc3\x89t\xc3\x89"));  // É is not folded to é
    EXPECT_TRUE(set.ContainedIn("Q"));
    EXPECT_FALSE(set.ContainedIn(std::string_view("\0", 1)));
  }
}

// A kBest set searches with the hashed matcher until sets with its literals have searched enough bytes, then with
// Hyperscan (when available), answering the same throughout.
TEST(LiteralSetMatcher, BestMatcherSwitchesToHyperscanAfterEnoughBytes) {
  std::vector<std::string> literals;
  for (int i = 0; i < 40; ++i) literals.push_back("switch" + std::to_string(i) + ".example");
  std::string text(1 << 20, 'x');
  text.replace(text.size() - 20, 15, "SWITCH39.Example");
  const std::string miss(1 << 20, 'y');
  LiteralSet set(literals);
  EXPECT_FALSE(set.UsesHyperscan());
  for (uint64_t searched = 0; searched <= LiteralSet::kHashedBytesBeforeCompiling; searched += 2 * text.size()) {
    ASSERT_TRUE(set.ContainedIn(text));
    ASSERT_FALSE(set.ContainedIn(miss));
  }
  EXPECT_TRUE(set.ContainedIn(text));
  EXPECT_FALSE(set.ContainedIn(miss));
  EXPECT_EQ(set.UsesHyperscan(), LiteralSet::HyperscanAvailable());
  EXPECT_EQ(LiteralSet(literals).UsesHyperscan(), LiteralSet::HyperscanAvailable());  // a later morsel's set
}

// Sets with the same literals share one compiled database; every set still answers for its own literals.
TEST(LiteralSetMatcher, SetsBuiltPerMorselAnswerTheSame) {
  std::vector<std::string> pack, other;
  for (int i = 0; i < 200; ++i) pack.push_back("rule" + std::to_string(i) + ".example");
  for (int i = 0; i < 200; ++i) other.push_back("other" + std::to_string(i) + ".test");
  std::vector<LiteralSet> sets;
  for (int morsel = 0; morsel < 8; ++morsel) sets.emplace_back(morsel % 2 ? pack : other, LiteralSet::Matcher::kHyperscan);
  for (size_t index = 0; index < sets.size(); ++index) {
    EXPECT_EQ(sets[index].ContainedIn("GET https://RULE199.example/x"), index % 2 == 1);
    EXPECT_EQ(sets[index].ContainedIn("other7.TEST"), index % 2 == 0);
    EXPECT_FALSE(sets[index].ContainedIn("rule200.example other200.test"));
  }
}

// Every occurrence (overlapping ones too) of every literal, as FindAll lists them: [begin, end) ordered by end.
std::vector<std::pair<uint32_t, uint32_t>> NaiveOccurrences(std::string_view text,
                                                            const std::vector<std::string>& literals_lower) {
  const std::string lowered = LowerAscii(std::string(text));
  std::set<std::string> distinct(literals_lower.begin(), literals_lower.end());
  std::vector<std::pair<uint32_t, uint32_t>> found;  // (end, begin) while collecting
  for (const auto& literal : distinct) {
    if (literal.empty()) continue;
    for (size_t at = lowered.find(literal); at != std::string::npos; at = lowered.find(literal, at + 1)) {
      found.emplace_back(static_cast<uint32_t>(at + literal.size()), static_cast<uint32_t>(at));
    }
  }
  std::sort(found.begin(), found.end());
  for (auto& [end, begin] : found) std::swap(end, begin);
  return found;
}

// FindAll lists exactly the occurrences a naive search finds, in order of their end (the same end may come from
// several literals, in any order); it declines without Hyperscan and past its occurrence limit.
TEST(LiteralSetMatcher, FindAllListsEveryOccurrence) {
  std::mt19937 random(77);
  for (size_t set_size : {1, 3, 17, 300}) {
    std::vector<std::string> literals;
    for (size_t i = 0; i < set_size; ++i) literals.push_back(LowerAscii(RandomText(random, 1 + random() % 6, kAlphabet)));
    LiteralSet set(literals, LiteralSet::Matcher::kHyperscan);
    std::vector<LiteralSet::Occurrence> occurrences;
    if (!LiteralSet::HyperscanAvailable()) {
      EXPECT_FALSE(set.FindAll("abc", 100, occurrences));
      continue;
    }
    for (int round = 0; round < 300; ++round) {
      std::string text = RandomText(random, random() % 400, kAlphabet);
      for (int i = 0; i < 3; ++i) {
        text.insert(random() % (text.size() + 1), ScrambleCase(random, literals[random() % literals.size()]));
      }
      ASSERT_TRUE(set.FindAll(text, 1 << 20, occurrences));
      auto expected = NaiveOccurrences(text, literals);
      std::vector<std::pair<uint32_t, uint32_t>> actual;
      for (const auto& occurrence : occurrences) actual.emplace_back(occurrence.begin, occurrence.end);
      for (size_t i = 1; i < actual.size(); ++i) ASSERT_LE(actual[i - 1].second, actual[i].second);
      auto by_end = [](const auto& a, const auto& b) { return a.second != b.second ? a.second < b.second : a < b; };
      std::sort(actual.begin(), actual.end(), by_end);
      std::sort(expected.begin(), expected.end(), by_end);
      ASSERT_EQ(actual, expected) << "set of " << set_size << ", text " << text;
      if (expected.size() > 1) {
        EXPECT_FALSE(set.FindAll(text, expected.size() - 1, occurrences));
      }
    }
  }
  std::vector<LiteralSet::Occurrence> unused;
  EXPECT_FALSE(LiteralSet(std::vector<std::string>{"abcd"}, LiteralSet::Matcher::kHashed).FindAll("abcd", 9, unused));
}

void CompileForJsonPrefilter(const std::vector<std::string>& literals);

// A prefilter that searched a block of records answers each record inside it as a record-by-record search does,
// also for literals that only occur across the gap between two records (trimmed spaces, line ends), and for
// blocks with more occurrences than it lists (then it searches record by record).
TEST(LiteralSetMatcher, PrefilterBlocksAnswerAsRecordByRecord) {
  std::mt19937 random(31);
  std::vector<std::string> literals = {" lead", "trail ", "x\\y", "rmm.io", "ab"};
  for (int i = 0; i < 20; ++i) literals.push_back("filler" + std::to_string(i) + ".invalid");
  CompileForJsonPrefilter(literals);
  int kept = 0, records_checked = 0;
  for (int round = 0; round < 200; ++round) {
    // Lines of random text with literals here and there; a record is a line without its outer spaces.
    std::string block;
    std::vector<std::pair<size_t, size_t>> records;  // offset, length
    const int lines = 1 + static_cast<int>(random() % 40);
    for (int line = 0; line < lines; ++line) {
      std::string text = RandomText(random, random() % 60, "abxyz .:\\\"lmrtioed");
      if (random() % 3 == 0) text.insert(random() % (text.size() + 1), ScrambleCase(random, literals[random() % 5]));
      std::string padding(random() % 3, ' ');
      block += padding;
      records.emplace_back(block.size(), text.size());
      block += text + padding + (random() % 2 ? "\r\n" : "\n");
    }
    // Every third round has "ab" all over the block: more occurrences than a block lists.
    if (round % 3 == 0) {
      for (int i = 0; i < 70000; ++i) block += "ab";
    }
    LiteralPrefilter by_block({literals}, LiteralPrefilter::Encoding::kJson);
    LiteralPrefilter by_record({literals}, LiteralPrefilter::Encoding::kJson);
    for (const auto& [offset, length] : records) {
      std::string_view record(block.data() + offset, length);
      if (by_block.WantsBlock(record)) by_block.PrepareBlock(std::string_view(block).substr(offset));
      EXPECT_FALSE(by_block.WantsBlock(record));
      const bool expected = by_record.MayMatch(record);
      ASSERT_EQ(by_block.MayMatch(record), expected) << "record '" << record << "' in block " << block.substr(0, 300);
      kept += expected;
      ++records_checked;
    }
  }
  EXPECT_GT(kept, records_checked / 5);
  EXPECT_LT(kept, records_checked * 4 / 5);
}

// JSON-encodes `value` the way exporters may: quotes and backslashes escaped, and, by choice, '/' as "\/" and
// characters as "\u00XX" (upper or lower hex digits).
std::string JsonEscape(std::mt19937& random, std::string_view value, bool escape_slashes, bool escape_unicode) {
  std::string out;
  for (char c : value) {
    if (escape_unicode && random() % 8 == 0) {
      static const char* kHex[] = {"0123456789abcdef", "0123456789ABCDEF"};
      const char* hex = kHex[random() % 2];
      auto byte = static_cast<unsigned char>(c);
      out += "\\u00";
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 15]);
    } else if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '/' && escape_slashes) {
      out += "\\/";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The literals as LiteralPrefilter encodes them for JSON; a kHyperscan set of them makes the prefilter's sets of the
// same literals search with Hyperscan from the first record.
void CompileForJsonPrefilter(const std::vector<std::string>& literals) {
  std::vector<std::string> encoded;
  for (const auto& literal : literals) {
    std::string raw;
    for (char c : literal) {
      if (c == '"' || c == '\\') raw.push_back('\\');
      raw.push_back(LowerAscii(c));
    }
    encoded.push_back(raw);
  }
  // With the escapes the prefilter's set also locates, so that it is the same set.
  const auto markers = LiteralPrefilter::JsonEscapeMarkers({literals});
  EXPECT_EQ(LiteralSet(encoded, LiteralSet::Matcher::kHyperscan, markers).UsesHyperscan(),
            LiteralSet::HyperscanAvailable());
}

// The reader rejects a record only when the prefilter says it cannot match and no escape could hide a literal;
// with more than 16 literals the prefilter searches through LiteralSet. A record whose value contains a literal
// (ignoring ASCII case) must never be rejected, however its JSON spells the value.
TEST(LiteralSetMatcher, JsonPrefilterNeverRejectsARecordWhoseValueContainsALiteral) {
  std::mt19937 random(8);
  const std::string value_alphabet = "abcdEFGH.:/\\\"- _";
  int contained = 0, rejected = 0;
  for (int round = 0; round < 800; ++round) {
    std::string value = RandomText(random, 4 + random() % 40, value_alphabet);
    // Literals cut from the value (so they often span quotes, backslashes and slashes), plus fillers to make the
    // list long enough for the one-pass matcher.
    std::vector<std::string> literals;
    for (int i = 0; i < 3; ++i) {
      size_t start = random() % value.size();
      literals.push_back(ScrambleCase(random, value.substr(start, 1 + random() % 8)));
    }
    if (round % 3 == 0) literals = {RandomText(random, 1 + random() % 4, value_alphabet)};
    for (int i = 0; i < 20; ++i) literals.push_back("filler" + std::to_string(i) + ".invalid");
    if (round % 2 == 0) CompileForJsonPrefilter(literals);  // else the hashed matcher answers
    LiteralPrefilter prefilter({literals}, LiteralPrefilter::Encoding::kJson);
    std::string record = R"({"RemoteUrl":")" +
                         JsonEscape(random, ScrambleCase(random, value), random() % 2, round % 4 == 0) + R"(","Port":443})";
    std::vector<std::string> lowered;
    for (const auto& literal : literals) lowered.push_back(LowerAscii(literal));
    bool value_contains = NaiveContainsAny(value, lowered);
    bool kept = prefilter.MayMatch(record) || LiteralPrefilter::HasHidingEscape(record);
    // As the reader asks when the record lies in a searched block: the block's search may show it free of escapes.
    LiteralPrefilter by_block({literals}, LiteralPrefilter::Encoding::kJson);
    if (by_block.WantsBlock(record)) by_block.PrepareBlock(record);
    const bool kept_by_block = by_block.MayMatch(record) ||
                               (!by_block.ShowsNoHidingEscape(record) && LiteralPrefilter::HasHidingEscape(record));
    if (kept_by_block) EXPECT_TRUE(kept) << record;
    // It may drop more: "\/" can hide no literal unless one holds a '/'.
    if (!kept_by_block && kept) EXPECT_NE(record.find("\\/"), std::string::npos) << record;
    contained += value_contains;
    rejected += !kept;
    if (value_contains) {
      ASSERT_TRUE(kept) << "literal " << literals[0] << " in record " << record;
      ASSERT_TRUE(kept_by_block) << "literal " << literals[0] << " in record " << record;
    }
  }
  EXPECT_GT(contained, 250);
  EXPECT_GT(rejected, 25);  // the prefilter still rejects records
}

// The block search of a long JSON list also finds the escapes HasHidingEscape looks for ("\u0000"-"\u007F", and
// "\/" when a literal holds a '/'), so records it shows free of them need no escape scan.
TEST(LiteralSetMatcher, BlockSearchShowsWhichRecordsHaveNoHidingEscape) {
  if (!LiteralSet::HyperscanAvailable()) GTEST_SKIP() << "the block search needs Hyperscan";
  for (bool slash_literal : {false, true}) {
    std::vector<std::string> literals = {slash_literal ? "rmm.io/api" : "rmm.io"};
    for (int i = 0; i < 20; ++i) literals.push_back("filler" + std::to_string(i) + ".invalid");
    CompileForJsonPrefilter(literals);
    const std::vector<std::string> records = {
        R"({"Url":"example.com"})",            // no escape at all
        R"({"Url":"caf\u00e9"})",              // \u00e9 spells no ASCII byte
        R"({"Url":"\u0072mm.io"})",            // \u0072 is 'r'
        R"({"Url":"say \u0022hi\u0022"})",     // escaped quotes
        R"({"Url":"https:\/\/example.com"})",  // escaped slashes
        R"({"Path":"C:\\u0041"})",             // an escaped backslash before "u0041": conservative
    };
    std::string block;
    for (const auto& record : records) block += record + "\n";
    LiteralPrefilter prefilter({literals}, LiteralPrefilter::Encoding::kJson);
    size_t offset = 0;
    std::vector<bool> shown_free;
    for (const auto& record : records) {
      std::string_view text(block.data() + offset, record.size());
      offset += record.size() + 1;
      if (prefilter.WantsBlock(text)) prefilter.PrepareBlock(std::string_view(block).substr(text.data() - block.data()));
      shown_free.push_back(prefilter.ShowsNoHidingEscape(text));
    }
    EXPECT_EQ(shown_free, (std::vector<bool>{true, true, false, false, !slash_literal, false})) << slash_literal;
  }
  // Outside a searched block it says nothing.
  LiteralPrefilter prefilter({{"rmm.io"}}, LiteralPrefilter::Encoding::kJson);
  EXPECT_FALSE(prefilter.ShowsNoHidingEscape(R"({"Url":"example.com"})"));
}

TEST(LiteralSetMatcher, JsonPrefilterMatchesLiteralsAcrossEscapes) {
  std::vector<std::string> literals = {R"(C:\Windows\System32)", R"(say "hi")", "https://tacticalrmm.io"};
  for (int i = 0; i < 20; ++i) literals.push_back("filler" + std::to_string(i) + ".invalid");
  CompileForJsonPrefilter(literals);
  LiteralPrefilter prefilter({literals}, LiteralPrefilter::Encoding::kJson);
  auto kept = [&](std::string_view record) {
    return prefilter.MayMatch(record) || LiteralPrefilter::HasHidingEscape(record);
  };
  EXPECT_TRUE(prefilter.MayMatch(R"({"FolderPath":"c:\\windows\\SYSTEM32\\cmd.exe"})"));
  EXPECT_TRUE(prefilter.MayMatch(R"({"Cmd":"echo SAY \"Hi\" twice"})"));
  EXPECT_TRUE(prefilter.MayMatch(R"({"RemoteUrl":"HTTPS://TacticalRMM.io/api"})"));
  EXPECT_TRUE(kept(R"({"RemoteUrl":"https:\/\/tacticalrmm.io\/api"})"));             // escaped slashes
  EXPECT_TRUE(kept(R"({"RemoteUrl":"https://tactic\u0061lrmm.io"})"));               // unicode escape
  EXPECT_TRUE(kept(R"({"Cmd":"say \u0022hi\u0022"})"));                               // escaped quote as \u0022
  EXPECT_FALSE(kept(R"({"FolderPath":"C:\\Windows\\SysWOW64"})"));
  EXPECT_FALSE(kept(R"({"RemoteUrl":"https://tacticalrmm.com","Note":"caf\u00e9"})"));  // \u00e9 hides no ASCII
  EXPECT_FALSE(kept(R"({"Cmd":"say hi"})"));
}

}  // namespace
}  // namespace kql
