// UnicodeCase: Unicode case mapping of UTF-8 text (utf8proc's tables) as Microsoft's engine does it in .NET:
// tolower/toupper are ToLowerInvariant/ToUpperInvariant (simple one-to-one mappings, no ß -> SS, no final-sigma
// context), and the case-insensitive operators (=~, has, contains, startswith, in~, ...) compare like
// OrdinalIgnoreCase, by simple uppercase mapping, so σ, ς and Σ are all equal. Invalid UTF-8 bytes pass through.
#pragma once
#include <string>
#include <string_view>
#include "execution/layer.h"

namespace kql::exec {

/// True when every byte is ASCII (the fast paths of case-insensitive kernels need nothing more).
bool IsAscii(std::string_view text);
/// Appends the lowercase form of UTF-8 text.
void AppendLowerUtf8(std::string_view text, std::string& out);
/// Appends the uppercase form of UTF-8 text.
void AppendUpperUtf8(std::string_view text, std::string& out);
/// Appends the case-insensitive comparison key of UTF-8 text: two strings are equal under OrdinalIgnoreCase
/// exactly when their keys are byte-equal. ASCII letters become lowercase (so ASCII fast paths may use
/// LowerAscii); other letters become their simple uppercase form. Not for display.
void AppendFoldUtf8(std::string_view text, std::string& out);
/// Lowercase ASCII byte.
inline char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
/// Uppercase ASCII byte.
inline char UpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

}  // namespace kql::exec
