#include "execution/scalar/unicode_case.h"

#include "types/utf8.h"

#include <cstdint>

#include <utf8proc.h>
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
  // Code points from 0xFFFFFF00 up carry an undecodable byte through unchanged (see Decode; 0xFF gives 0xFFFFFF00).
  if (code >= 0xFFFFFF00u) {
    out.push_back(static_cast<char>(0xFFFFFFFFu - code));
  } else {
    AppendUtf8(out, static_cast<uint32_t>(code));
  }
}

// tolower/toupper follow .NET's ToLowerInvariant/ToUpperInvariant: Unicode's simple (one-to-one) mappings, except
// that U+0130 (capital I with dot) stays itself in lowercase and U+0131 (dotless i) stays itself in uppercase,
// as Windows' invariant culture does, and ß has no single-letter uppercase. Final sigma has no context rule: tolower("ΟΔΟΣ") is "οδοσ".
char32_t ToLower(char32_t code) {
  if (code > 0x10FFFF || code == 0x130) return code;
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(code)));
}

// utf8proc uppercases ß to ẞ (U+1E9E), which Unicode's simple mapping (and .NET) does not do.
char32_t ToUpper(char32_t code) {
  if (code > 0x10FFFF || code == 0x131 || code == 0xDF) return code;
  return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(code)));
}

// The supplementary-plane scripts .NET's OrdinalIgnoreCase folds (Deseret, Osage, Old Hungarian, Warang Citi,
// Medefaidrin, Adlam small letters); every other code point above U+FFFF compares exactly.
bool FoldsOutsideBmp(char32_t code) {
  return (code >= 0x10428 && code <= 0x1044F) || (code >= 0x104D8 && code <= 0x104FB) ||
         (code >= 0x10CC0 && code <= 0x10CF2) || (code >= 0x118C0 && code <= 0x118DF) ||
         (code >= 0x16E60 && code <= 0x16E7F) || (code >= 0x1E922 && code <= 0x1E943);
}

// The comparison key of a non-ASCII code point under .NET's OrdinalIgnoreCase: its simple uppercase mapping,
// except dotless i (U+0131) and long s (U+017F), which .NET keeps apart from I and S. No non-ASCII code point
// gets an ASCII key, so ASCII text can be compared byte by byte with LowerAscii.
char32_t FoldKey(char32_t code) {
  if (code > 0x10FFFF || code == 0x131 || code == 0x17F || code == 0xDF) return code;
  if (code > 0xFFFF && !FoldsOutsideBmp(code)) return code;
  return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(code)));
}

// Maps each character: ASCII bytes inline (the fast path), other code points through `map`.
template <char (*map_ascii)(char), char32_t (*map)(char32_t)>
void AppendMapped(std::string_view text, std::string& out) {
  out.reserve(out.size() + text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      out.push_back(map_ascii(c));
      ++pos;
      continue;
    }
    Encode(map(Decode(text, pos)), out);
  }
}

}  // namespace

bool IsAscii(std::string_view text) {
  uint8_t high = 0;
  for (char c : text) high |= static_cast<uint8_t>(c);
  return high < 0x80;
}

void AppendLowerUtf8(std::string_view text, std::string& out) { AppendMapped<LowerAscii, ToLower>(text, out); }

void AppendUpperUtf8(std::string_view text, std::string& out) { AppendMapped<UpperAscii, ToUpper>(text, out); }

void AppendFoldUtf8(std::string_view text, std::string& out) { AppendMapped<LowerAscii, FoldKey>(text, out); }

}  // namespace kql::exec

