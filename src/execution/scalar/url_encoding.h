// UrlEncoding: percent-encoding as .NET's HttpUtility does it, shared by url_encode/url_decode and parse_url.
#pragma once
#include <string>
#include <string_view>
#include "execution/layer.h"

namespace kql::exec {

/// Escapes like HttpUtility.UrlEncode: lowercase %xx, space as '+', letters, digits and -_.!*() kept.
std::string UrlEncode(std::string_view text);

/// Reverses %xx and '+'; malformed escapes stay as written.
std::string UrlDecode(std::string_view text);

}  // namespace kql::exec
