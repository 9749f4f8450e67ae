// Unit tests of the raw-bytes scan kernels: the case-insensitive literal search (AVX2/SSE2 paths against a naive
// reference), the escape check, and memory-mapped line splitting against the buffered path.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "io/file_map.h"
#include "io/line_reader.h"
#include "io/literal_prefilter.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace kql {
namespace {

bool NaiveContains(std::string_view haystack, std::string_view needle_lower) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  if (needle_lower.size() > haystack.size()) return false;
  for (size_t start = 0; start + needle_lower.size() <= haystack.size(); ++start) {
    size_t index = 0;
    while (index < needle_lower.size() && lower(haystack[start + index]) == needle_lower[index]) ++index;
    if (index == needle_lower.size()) return true;
  }
  return false;
}

TEST(ScanKernels, ContainsMatchesNaiveSearch) {
  std::mt19937 random(42);
  const std::string alphabet = "aAbBtTiIoO.-_@`[{\\\"\xC3\xA9 ";
  const std::vector<std::string> needles = {"t", "ta", "tacticalrmm.io", "a.b", "@", "`", "{a", "tiotiotiotiotiotio"};
  for (int round = 0; round < 4000; ++round) {
    std::string haystack(random() % 120, ' ');
    for (char& c : haystack) c = alphabet[random() % alphabet.size()];
    const std::string& needle = needles[random() % needles.size()];
    if (random() % 3 == 0 && haystack.size() > needle.size()) {
      std::string planted = needle;
      for (char& c : planted) {
        if (random() % 2 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      haystack.replace(random() % (haystack.size() - needle.size()), needle.size(), planted);
    }
    // A padded copy so the kernels may read a little past the end, as in real records.
    std::string padded = haystack + std::string(64, 'T');
    std::string_view view(padded.data(), haystack.size());
    ASSERT_EQ(ContainsCaseInsensitive(view, needle), NaiveContains(haystack, needle))
        << "haystack=" << haystack << " needle=" << needle;
  }
}

TEST(ScanKernels, FoldingDoesNotConfusePunctuation) {
  // '@' | 0x20 == '`' and '[' | 0x20 == '{': folding applies to letters only.
  EXPECT_FALSE(ContainsCaseInsensitive(std::string(40, '@'), "`"));
  EXPECT_FALSE(ContainsCaseInsensitive(std::string(40, '[') + "x", "{x"));
  EXPECT_TRUE(ContainsCaseInsensitive(std::string(40, 'x') + "TACTICALRMM.IO", "tacticalrmm.io"));
}

TEST(ScanKernels, HidingEscapes) {
  EXPECT_FALSE(LiteralPrefilter::HasHidingEscape(R"({"a":"C:\\Windows\\system32","b":"\u00ae"})"));
  EXPECT_TRUE(LiteralPrefilter::HasHidingEscape(R"({"a":"t\u0061ctical"})"));
  EXPECT_TRUE(LiteralPrefilter::HasHidingEscape(R"({"a":"http:\/\/x"})"));
  EXPECT_TRUE(LiteralPrefilter::HasHidingEscape(std::string(100, 'x') + R"(\u007f)"));
  EXPECT_TRUE(LiteralPrefilter::HasHidingEscape(std::string(100, 'x') + R"(\u00)"));
  EXPECT_FALSE(LiteralPrefilter::HasHidingEscape(std::string(100, 'x') + "\\"));
}

// With `span_bytes`, every fifth line hands the reader the line ends of the next `span_bytes` mapped bytes (as the
// column-value search finds them) and the lines after it are split from them.
std::vector<std::pair<std::string, uint64_t>> ReadAll(const SourceFile& file, uint64_t begin, uint64_t end,
                                                      bool map, size_t span_bytes = 0) {
  std::vector<std::pair<std::string, uint64_t>> lines;
  LineReader reader(file, begin, end, 64, map);
  Line line;
  std::vector<size_t> newlines;
  while (reader.Next(line)) {
    if (span_bytes > 0 && lines.size() % 5 == 0) {
      std::string_view span = reader.MappedFrom(line.text.data(), span_bytes);
      newlines.clear();
      for (size_t offset = 0; offset < span.size(); ++offset) {
        if (span[offset] == '\n') newlines.push_back(offset);
      }
      reader.UseNewlines(span, &newlines);
    }
    lines.emplace_back(std::string(line.text), line.offset);
    // The padding after every line must be readable.
    volatile char last = line.text.data()[line.text.size() + kLinePadding - 1];
    (void)last;
  }
  EXPECT_TRUE(reader.error().empty());
  return lines;
}

TEST(ScanKernels, MappedLinesEqualBufferedLines) {
  std::string path = ::testing::TempDir() + "kql_scan_kernels_" + std::to_string(::getpid()) + ".jsonl";
  std::mt19937 random(7);
  for (int variant = 0; variant < 3; ++variant) {
    std::string content;
    for (int line = 0; line < 300; ++line) {
      content += std::string(random() % 150, 'a' + static_cast<char>(line % 26));
      content += (line % 7 == 0) ? "\r\n" : "\n";
    }
    if (variant == 1) content += "last line without newline";
    if (variant == 2) content += "\n\n";
    std::ofstream(path, std::ios::binary) << content;
    SourceFile file{path, Compression::kNone, content.size(), nullptr};
    // The readers of a file from StatSourceFile share one map, released page by page as each range ends.
    SourceFile shared_file = file;
    shared_file.shared_map = std::make_shared<io::SharedFileMap>();
    for (uint64_t step : {uint64_t{1000}, uint64_t{4096}, uint64_t{7777}, uint64_t{1} << 40}) {
      std::vector<std::pair<std::string, uint64_t>> mapped;
      std::vector<std::pair<std::string, uint64_t>> shared;
      std::vector<std::pair<std::string, uint64_t>> buffered;
      for (uint64_t begin = 0; begin < content.size(); begin += step) {
        uint64_t end = begin + step >= content.size() ? UINT64_MAX : begin + step;
        for (auto& line : ReadAll(file, begin, end, true)) mapped.push_back(line);
        for (auto& line : ReadAll(shared_file, begin, end, true)) shared.push_back(line);
        for (auto& line : ReadAll(file, begin, end, false)) buffered.push_back(line);
      }
      EXPECT_EQ(mapped, buffered) << "variant " << variant << " step " << step;
      for (size_t span_bytes : {size_t{1}, size_t{100}, size_t{1000}}) {
        std::vector<std::pair<std::string, uint64_t>> hinted;
        for (uint64_t begin = 0; begin < content.size(); begin += step) {
          uint64_t end = begin + step >= content.size() ? UINT64_MAX : begin + step;
          for (auto& line : ReadAll(file, begin, end, true, span_bytes)) hinted.push_back(line);
        }
        EXPECT_EQ(hinted, buffered) << "variant " << variant << " step " << step << " span " << span_bytes;
      }
      EXPECT_EQ(shared, buffered) << "variant " << variant << " step " << step;
      EXPECT_EQ(mapped, ReadAll(file, 0, UINT64_MAX, false));
    }
  }
  std::remove(path.c_str());
}

// A shell or web session keeps its SourceFiles between queries: a file rewritten in between must be read as it is
// now, not through the map of what it was.
TEST(ScanKernels, SharedMapFollowsARewrittenFile) {
  std::string path = ::testing::TempDir() + "kql_shared_map_" + std::to_string(::getpid()) + ".jsonl";
  std::ofstream(path, std::ios::binary) << "first\nsecond\n";
  std::string error;
  std::optional<SourceFile> file = io::StatSourceFile(path, Compression::kNone, &error);
  ASSERT_TRUE(file) << error;
  ASSERT_TRUE(file->shared_map);
  auto first_map = file->shared_map->Get(path);
  ASSERT_TRUE(first_map);
  EXPECT_EQ(file->shared_map->Get(path), first_map);  // Unchanged: the same map.
  EXPECT_EQ((std::vector<std::pair<std::string, uint64_t>>{{"first", 0}, {"second", 6}}),
            ReadAll(*file, 0, UINT64_MAX, true));
  // Same size, new contents and modification time.
  std::ofstream(path, std::ios::binary) << "FIRST\nSECOND\n";
  struct timespec times[2] = {{0, UTIME_OMIT}, {1'000'000'000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  EXPECT_NE(file->shared_map->Get(path), first_map);
  EXPECT_EQ((std::vector<std::pair<std::string, uint64_t>>{{"FIRST", 0}, {"SECOND", 6}}),
            ReadAll(*file, 0, UINT64_MAX, true));
  std::remove(path.c_str());
}

// Another program truncating a file while it is mapped makes reads past the new end fault (SIGBUS). The reader
// reads zeros there instead, and says the file shrank: an error, not a crash, and not a silently short read.
TEST(ScanKernels, AFileTruncatedWhileMappedIsAnErrorNotACrash) {
  std::string path = ::testing::TempDir() + "kql_truncated_" + std::to_string(::getpid()) + ".jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    for (int line = 0; line < 4000; ++line) out << "{\"n\":" << line << ",\"pad\":\"" << std::string(500, 'x') << "\"}\n";
  }
  std::string error;
  std::optional<SourceFile> file = io::StatSourceFile(path, Compression::kNone, &error);
  ASSERT_TRUE(file) << error;
  for (bool shared : {true, false}) {
    SCOPED_TRACE(shared ? "shared map" : "own map");
    SourceFile source = *file;
    if (!shared) source.shared_map = nullptr;
    LineReader reader(source, 0, UINT64_MAX, 1 << 20, true);
    Line line;
    ASSERT_TRUE(reader.Next(line));
    EXPECT_EQ(line.text.substr(0, 7), "{\"n\":0,");
    ASSERT_EQ(::truncate(path.c_str(), 10000), 0);
    size_t lines = 1;
    while (reader.Next(line)) ++lines;
    EXPECT_NE(reader.error().find("the file shrank while it was read"), std::string::npos) << reader.error();
    EXPECT_GE(lines, 19u);  // the lines before the new end
    // The file as it is now reads whole, without an error.
    ASSERT_EQ(::truncate(path.c_str(), 0), 0);
    {
      std::ofstream out(path, std::ios::binary);
      for (int row = 0; row < 4000; ++row) out << "{\"n\":" << row << ",\"pad\":\"" << std::string(500, 'x') << "\"}\n";
    }
  }
  LineReader again(*io::StatSourceFile(path, Compression::kNone, &error), 0, UINT64_MAX, 1 << 20, true);
  Line line;
  size_t lines = 0;
  while (again.Next(line)) ++lines;
  EXPECT_EQ(lines, 4000u);
  EXPECT_EQ(again.error(), "");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace kql
