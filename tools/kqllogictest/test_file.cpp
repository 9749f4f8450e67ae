#include "test_file.h"

#include <fstream>
#include <sstream>
#include "rules/layer.h"

namespace kql::logictest {

using namespace kql::rules;
namespace {

std::vector<std::string> SplitWords(const std::string& line) {
  std::istringstream stream(line);
  std::vector<std::string> words;
  std::string word;
  while (stream >> word) words.push_back(word);
  return words;
}

bool IsBlank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

}  // namespace

bool ParseTestFile(const std::string& path, TestFile& file, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  file.path = path;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    file.lines.push_back(line);
  }
  size_t index = 0;
  const auto& lines = file.lines;
  while (index < lines.size()) {
    if (IsBlank(lines[index]) || lines[index][0] == '#') {
      ++index;
      continue;
    }
    TestRecord record;
    record.line = static_cast<int>(index + 1);
    record.header = lines[index];
    std::vector<std::string> words = SplitWords(lines[index]);
    const std::string keyword = words.empty() ? "" : words[0];
    record.arguments.assign(words.begin() + (words.empty() ? 0 : 1), words.end());
    ++index;
    if (keyword == "set") {
      record.kind = RecordKind::kSet;
    } else if (keyword == "skip") {
      record.kind = RecordKind::kSkip;
    } else if (keyword == "include") {
      record.kind = RecordKind::kInclude;
    } else if (keyword == "table") {
      record.kind = RecordKind::kTable;
      while (index < lines.size() && !IsBlank(lines[index])) {
        std::vector<std::string> row_words = SplitWords(lines[index]);
        if (record.body.empty() && row_words.size() == 2 && row_words[0] == "format") {
          record.format = row_words[1];
        } else if (record.body.empty() && row_words.size() == 2 && row_words[0] == "load") {
          record.load_path = row_words[1];
        } else {
          record.body.push_back(lines[index]);
        }
        ++index;
      }
    } else if (keyword == "query" || keyword == "error" || keyword == "plan" || keyword == "warning") {
      record.kind = keyword == "query"     ? RecordKind::kQuery
                    : keyword == "error"   ? RecordKind::kError
                    : keyword == "warning" ? RecordKind::kWarning
                                           : RecordKind::kPlan;
      while (index < lines.size() && lines[index] != "----") {
        if (IsBlank(lines[index])) {
          error = path + ":" + std::to_string(index + 1) + ": blank line inside a " + keyword + " record before ----";
          return false;
        }
        record.body.push_back(lines[index]);
        ++index;
      }
      if (index >= lines.size()) {
        error = path + ":" + std::to_string(record.line) + ": " + keyword + " record without ----";
        return false;
      }
      ++index;  // ----
      record.expected_line = static_cast<int>(index + 1);
      while (index < lines.size() && !IsBlank(lines[index])) {
        record.expected.push_back(lines[index]);
        ++index;
      }
    } else {
      error = path + ":" + std::to_string(record.line) + ": unknown record '" + keyword + "'";
      return false;
    }
    record.end_line = static_cast<int>(index + 1);
    file.records.push_back(std::move(record));
  }
  return true;
}

}  // namespace kql::logictest
