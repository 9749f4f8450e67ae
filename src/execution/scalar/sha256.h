// Sha256: a small self-contained SHA-256 (FIPS 180-4) for hash_sha256. It is not a general crypto library: no
// streaming API, no HMAC, no constant-time guarantees.
#pragma once
#include <string>
#include <string_view>
#include "execution/layer.h"

namespace kql::exec {

/// The SHA-256 digest of `data` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

}  // namespace kql::exec
