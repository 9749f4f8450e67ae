#include "execution/scalar/unicode_case.h"

#include "types/utf8.h"

#include <cstdint>
#include "execution/layer.h"

namespace kql::exec {

namespace {

// Decodes one UTF-8 code point at text[pos]; invalid bytes decode as themselves (length 1).
char32_t Decode(std::string_view text, size_t& pos) {
  auto byte = static_cast<unsigned char>(text[pos]);
  int32_t code = NextUtf8(text, pos);
  return code < 0 ? 0xFFFFFFFFu - byte : static_cast<char32_t>(code);  // Marks a raw byte to copy through.
}

void Encode(char32_t code, std::string& out) {
  // Code points above 0xFFFFFF00 carry an undecodable byte through unchanged (see Decode).
  if (code > 0xFFFFFF00u) {
    out.push_back(static_cast<char>(0xFFFFFFFFu - code));
  } else {
    AppendUtf8(out, static_cast<uint32_t>(code));
  }
}

char32_t ToLower(char32_t code) {
  if (code >= 'A' && code <= 'Z') return code + 32;
  if (code < 0xC0) return code;
  if (code <= 0xDE) return code == 0xD7 ? code : code + 32;
  if (code >= 0x100 && code <= 0x137) return code | 1;
  if (code >= 0x139 && code <= 0x148) return (code & 1) ? code + 1 : code;
  if (code >= 0x14A && code <= 0x177) return code | 1;
  if (code == 0x178) return 0xFF;
  if (code >= 0x179 && code <= 0x17E) return (code & 1) ? code + 1 : code;
  if (code >= 0x391 && code <= 0x3AB && code != 0x3A2) return code + 32;
  if (code >= 0x410 && code <= 0x42F) return code + 32;
  if (code >= 0x400 && code <= 0x40F) return code + 80;
  return code;
}

char32_t ToUpper(char32_t code) {
  if (code >= 'a' && code <= 'z') return code - 32;
  if (code < 0xE0) return code;
  if (code <= 0xFE) return code == 0xF7 ? code : code - 32;
  if (code == 0xFF) return 0x178;
  if (code >= 0x100 && code <= 0x137) return code & ~char32_t{1};
  if (code >= 0x139 && code <= 0x148) return (code & 1) ? code : code - 1;
  if (code >= 0x14A && code <= 0x177) return code & ~char32_t{1};
  if (code >= 0x179 && code <= 0x17E) return (code & 1) ? code : code - 1;
  if (code >= 0x3B1 && code <= 0x3CB && code != 0x3C2) return code - 32;
  if (code >= 0x430 && code <= 0x44F) return code - 32;
  if (code >= 0x450 && code <= 0x45F) return code - 80;
  return code;
}

}  // namespace

bool IsAscii(std::string_view text) {
  uint8_t high = 0;
  for (char c : text) high |= static_cast<uint8_t>(c);
  return high < 0x80;
}

void AppendLowerUtf8(std::string_view text, std::string& out) {
  out.reserve(out.size() + text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      out.push_back(LowerAscii(c));
      ++pos;
      continue;
    }
    Encode(ToLower(Decode(text, pos)), out);
  }
}

void AppendUpperUtf8(std::string_view text, std::string& out) {
  out.reserve(out.size() + text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      out.push_back(UpperAscii(c));
      ++pos;
      continue;
    }
    Encode(ToUpper(Decode(text, pos)), out);
  }
}

}  // namespace kql::exec
