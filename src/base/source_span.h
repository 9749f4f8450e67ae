// SourceSpan: a byte range in query text with 1-based line and column of its start.
// It is not a text owner; renderers get the text separately.
#pragma once
#include <cstdint>

namespace kql {

/// A region of source text: byte offset and length, plus 1-based line/column of the first byte.
struct SourceSpan {
  uint32_t offset = 0;  ///< Byte offset of the first character.
  uint32_t length = 0;  ///< Length in bytes.
  uint32_t line = 1;    ///< 1-based line of the first character.
  uint32_t col = 1;     ///< 1-based column (in bytes) of the first character.
};

}  // namespace kql
