// UnicodeCase: simple (one-to-one) case mapping of UTF-8 text for KQL's case-insensitive operators and
// tolower/toupper. Covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; other code points map to
// themselves. It is not full Unicode case folding (no ß -> ss, no locale rules).
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
/// Lowercase ASCII byte.
inline char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
/// Uppercase ASCII byte.
inline char UpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

}  // namespace kql::exec
