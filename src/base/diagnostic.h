// Diagnostic: a user-facing error or warning with a stable code, a span and a message.
// User errors are data: every stage appends diagnostics and keeps going.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "base/source_span.h"

namespace kql {

/// How serious a diagnostic is.
enum class Severity { kError, kWarning };

/// One user-facing problem. Codes are stable ("KQL1001"); see docs/diagnostics.md.
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;     ///< Stable code, e.g. "KQL1001".
  SourceSpan span;      ///< Where in the query text.
  std::string message;  ///< Static text first, runtime values last.
};

/// Appends diagnostics; shared by lexer, parser, binder and rule loader.
class DiagnosticBag {
 public:
  /// Adds an error with the given code, span and message.
  void Error(std::string code, SourceSpan span, std::string message);
  /// Adds a warning with the given code, span and message.
  void Warning(std::string code, SourceSpan span, std::string message);
  /// Appends every diagnostic of another bag.
  void Append(const DiagnosticBag& other);
  /// True when at least one error was added.
  bool HasErrors() const;
  /// All diagnostics in the order they were added.
  const std::vector<Diagnostic>& items() const { return items_; }
  /// Mutable access, for callers that re-base spans.
  std::vector<Diagnostic>& mutable_items() { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

/// Renders "CODE line:col message" followed by the source line and a caret line "   ^~~~".
std::string RenderDiagnostic(const Diagnostic& diagnostic, std::string_view source);

/// Returns the 1-based line's text (without newline) from source.
std::string_view SourceLine(std::string_view source, uint32_t line);

/// Computes line and column for a byte offset in source.
SourceSpan SpanAt(std::string_view source, uint32_t offset, uint32_t length);

}  // namespace kql
