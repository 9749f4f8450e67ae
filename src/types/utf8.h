// UTF-8 encoding and decoding of one code point, shared by the JSON parser (\u escapes), the case-folding kernels
// and the code-point functions (unicode_codepoints_from_string, isutf8).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace kql {

/// Appends the UTF-8 encoding of a Unicode code point (up to U+10FFFF) to out.
void AppendUtf8(std::string& out, uint32_t code);

/// Decodes the code point at text[pos] and advances pos past it; for an invalid or truncated sequence returns -1
/// and advances pos by one byte.
int32_t NextUtf8(std::string_view text, size_t& pos);

}  // namespace kql
