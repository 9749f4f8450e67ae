// UTF-8 encoding of one code point, shared by the JSON parser (\u escapes) and the case-folding kernels.
#pragma once
#include <cstdint>
#include <string>

namespace kql {

/// Appends the UTF-8 encoding of a Unicode code point (up to U+10FFFF) to out.
void AppendUtf8(std::string& out, uint32_t code);

}  // namespace kql
