// Rule test reports for CI: a JUnit XML document (one testsuite per rule, one testcase per case, failures carrying
// the readable failure text) and GitHub Actions workflow commands (`::error file=F,line=L::message`) that CI shows
// as annotations on the test file's lines. `kqlite test --junit FILE` and `--format github` use them.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_test_runner.h"
#include "rules/layer.h"

namespace kql::rules {

/// The JUnit XML report of a test run, as CI systems (GitLab, Jenkins, Azure Pipelines, GitHub actions) read it.
std::string WriteJUnit(const std::vector<RuleTestFileResult>& results);

/// One GitHub Actions workflow command: `::<level> file=F,line=L,col=C::message`, with properties and message
/// escaped as GitHub requires; line/col 0 are left out. A "builtin:" path is shown as its source path.
std::string GitHubAnnotation(std::string_view level, std::string_view file, int line, int col,
                             std::string_view message);

/// The annotations of a test run: one per file problem and one per failing case.
std::string WriteGitHubTestAnnotations(const std::vector<RuleTestFileResult>& results);

}  // namespace kql::rules
