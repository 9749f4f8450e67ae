#include "base/diagnostic.h"

#include <algorithm>

namespace kql {

void DiagnosticBag::Error(std::string code, SourceSpan span, std::string message) {
  items_.push_back(Diagnostic{Severity::kError, std::move(code), span, std::move(message)});
}

void DiagnosticBag::Warning(std::string code, SourceSpan span, std::string message) {
  items_.push_back(Diagnostic{Severity::kWarning, std::move(code), span, std::move(message)});
}

void DiagnosticBag::Append(const DiagnosticBag& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool DiagnosticBag::HasErrors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::string_view SourceLine(std::string_view source, uint32_t line) {
  uint32_t current = 1;
  size_t start = 0;
  while (current < line) {
    size_t newline = source.find('\n', start);
    if (newline == std::string_view::npos) return {};
    start = newline + 1;
    ++current;
  }
  size_t end = source.find('\n', start);
  if (end == std::string_view::npos) end = source.size();
  std::string_view text = source.substr(start, end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

SourceSpan SpanAt(std::string_view source, uint32_t offset, uint32_t length) {
  SourceSpan span;
  span.offset = offset;
  span.length = length;
  uint32_t line = 1;
  uint32_t col = 1;
  for (uint32_t i = 0; i < offset && i < source.size(); ++i) {
    if (source[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  span.line = line;
  span.col = col;
  return span;
}

std::string RenderDiagnostic(const Diagnostic& diagnostic, std::string_view source) {
  std::string out = diagnostic.code + " " + std::to_string(diagnostic.span.line) + ":" +
                    std::to_string(diagnostic.span.col) + " " + diagnostic.message;
  std::string_view line = SourceLine(source, diagnostic.span.line);
  if (source.empty() || diagnostic.span.line == 0) return out;
  out += "\n";
  out += line;
  out += "\n";
  out += std::string(diagnostic.span.col > 0 ? diagnostic.span.col - 1 : 0, ' ');
  out += "^";
  uint32_t remaining = static_cast<uint32_t>(line.size()) >= diagnostic.span.col
                           ? static_cast<uint32_t>(line.size()) - diagnostic.span.col + 1
                           : 1;
  uint32_t tildes = std::min(diagnostic.span.length, remaining);
  if (tildes > 1) out += std::string(tildes - 1, '~');
  return out;
}

}  // namespace kql
