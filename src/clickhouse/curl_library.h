// CurlLibrary: the libcurl functions the ClickHouse connection uses, loaded with dlopen on first use instead of
// linked. Linked, libcurl and the ~40 libraries it needs (TLS, LDAP, SSH, Kerberos...) were loaded by every kqlite
// command, ClickHouse or not: about 5 ms of each start.
#pragma once
#include <curl/curl.h>

#include "clickhouse/layer.h"

namespace kql::clickhouse {

/// libcurl's entry points (their types from <curl/curl.h>).
struct CurlLibrary {
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_multi_init) multi_init = nullptr;
  decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&::curl_multi_perform) multi_perform = nullptr;
  decltype(&::curl_multi_poll) multi_poll = nullptr;
  decltype(&::curl_multi_info_read) multi_info_read = nullptr;
  decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&::curl_multi_strerror) multi_strerror = nullptr;

  /// The library, loaded and initialised (curl_global_init) on the first call; throws ClickHouseError (naming the
  /// library and the Debian package that has it) when it cannot be loaded.
  static const CurlLibrary& Get();
};

}  // namespace kql::clickhouse
