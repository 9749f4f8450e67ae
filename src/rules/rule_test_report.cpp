#include "rules/rule_test_report.h"

#include <algorithm>
#include <cstdio>
#include "rules/layer.h"

namespace kql::rules {
namespace {

/// XML text and attribute escaping; control characters XML 1.0 cannot hold become U+FFFD.
std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

std::string DisplayPath(std::string_view path) {
  constexpr std::string_view kBuiltin = "builtin:";
  if (path.substr(0, kBuiltin.size()) == kBuiltin) path.remove_prefix(kBuiltin.size());
  return std::string(path);
}

std::string Seconds(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", seconds);
  return buffer;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

/// Escapes a workflow command's message (%, CR, LF) or, with `property`, also ':' and ','.
std::string CommandEscape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else if (property && c == ':') {
      out += "%3A";
    } else if (property && c == ',') {
      out += "%2C";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string WriteJUnit(const std::vector<RuleTestFileResult>& results) {
  size_t total_tests = 0;
  size_t total_failures = 0;
  size_t total_errors = 0;
  double total_seconds = 0;
  std::string suites;
  for (const auto& result : results) {
    std::string cases;
    size_t failures = 0;
    size_t errors = 0;
    double seconds = 0;
    std::string file = XmlEscape(DisplayPath(result.path));
    std::string problems;
    for (const auto& problem : result.problems) {
      if (!problem.is_error) continue;
      problems += DisplayPath(problem.path) + ":" + std::to_string(problem.line) + ":" + std::to_string(problem.col) +
                  ": " + problem.code + ": " + problem.message + "\n";
    }
    if (!problems.empty()) {
      ++errors;
      cases += "    <testcase classname=\"" + file + "\" name=\"(test file)\" file=\"" + file + "\" time=\"0.000\">\n" +
               "      <error message=\"" + XmlEscape(problems.substr(0, problems.find('\n'))) +
               "\" type=\"test file\">" + XmlEscape(problems) + "</error>\n    </testcase>\n";
    }
    for (const auto& test_case : result.cases) {
      seconds += test_case.seconds;
      cases += "    <testcase classname=\"" + file + "\" name=\"" + XmlEscape(test_case.name) + "\" file=\"" + file +
               "\" line=\"" + std::to_string(test_case.line) + "\" time=\"" + Seconds(test_case.seconds) + "\"";
      if (test_case.passed) {
        cases += "/>\n";
        continue;
      }
      ++failures;
      std::string first = test_case.failures.empty() ? "failed" : test_case.failures.front();
      cases += ">\n      <failure message=\"" + XmlEscape(first) + "\" type=\"" +
               (test_case.kind == RuleTestKind::kTruePositive ? "true_positive" : "false_positive") + "\">" +
               XmlEscape(JoinLines(test_case.failures)) + "</failure>\n    </testcase>\n";
    }
    size_t tests = result.cases.size() + (problems.empty() ? 0 : 1);
    std::string suite_name = DisplayPath(result.rule_path.empty() ? result.path : result.rule_path);
    suites += "  <testsuite name=\"" + XmlEscape(suite_name) + "\" tests=\"" + std::to_string(tests) +
              "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
              "\" skipped=\"0\" time=\"" + Seconds(seconds) + "\" file=\"" + file + "\">\n" + cases +
              "  </testsuite>\n";
    total_tests += tests;
    total_failures += failures;
    total_errors += errors;
    total_seconds += seconds;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kqlite test\" tests=\"" +
         std::to_string(total_tests) + "\" failures=\"" + std::to_string(total_failures) + "\" errors=\"" +
         std::to_string(total_errors) + "\" time=\"" + Seconds(total_seconds) + "\">\n" + suites + "</testsuites>\n";
}

std::string GitHubAnnotation(std::string_view level, std::string_view file, int line, int col,
                             std::string_view message) {
  std::string out = "::" + std::string(level) + " file=" + CommandEscape(DisplayPath(file), true);
  if (line > 0) out += ",line=" + std::to_string(line);
  if (line > 0 && col > 0) out += ",col=" + std::to_string(col);
  return out + "::" + CommandEscape(message, false) + "\n";
}

std::string WriteGitHubTestAnnotations(const std::vector<RuleTestFileResult>& results) {
  std::string out;
  for (const auto& result : results) {
    for (const auto& problem : result.problems) {
      out += GitHubAnnotation(problem.is_error ? "error" : "warning", problem.path, problem.line, problem.col,
                              problem.code + ": " + problem.message);
    }
    for (const auto& test_case : result.cases) {
      if (test_case.passed) continue;
      out += GitHubAnnotation("error", result.path, test_case.line, 0,
                              "test case '" + test_case.name + "' failed\n" + JoinLines(test_case.failures));
    }
  }
  return out;
}

}  // namespace kql::rules
