#include "types/utf8.h"

namespace kql {

void AppendUtf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

int32_t NextUtf8(std::string_view text, size_t& pos) {
  auto byte = static_cast<unsigned char>(text[pos]);
  int length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || pos + static_cast<size_t>(length) > text.size()) {
    ++pos;
    return -1;
  }
  int32_t code = length == 1 ? byte : byte & (0x7F >> length);
  for (int index = 1; index < length; ++index) {
    auto next = static_cast<unsigned char>(text[pos + static_cast<size_t>(index)]);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return -1;
    }
    code = (code << 6) | (next & 0x3F);
  }
  pos += static_cast<size_t>(length);
  return code;
}

}  // namespace kql
