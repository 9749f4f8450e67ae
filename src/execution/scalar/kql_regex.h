// KqlRegex: KQL's regular expressions on RE2. Kusto's classes \d, \s and \w are Unicode-aware (a full-width "１"
// is a digit, a no-break space is white space), where RE2's are ASCII; TranslateRegex rewrites them into RE2's
// Unicode property classes and leaves everything else as written.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>
#include "execution/layer.h"

namespace kql::exec {

/// The pattern with \d \D \s \S \w \W replaced by their Unicode equivalents (inside and outside [...] classes).
std::string TranslateRegex(std::string_view pattern);

/// Compiles a KQL pattern (translated) quietly; the result may be !ok(), with error() describing why.
std::unique_ptr<RE2> CompileKqlRegex(std::string_view pattern);

}  // namespace kql::exec
