#include "clickhouse/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "clickhouse/http_connection.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

namespace {

// The sonames of libcurl 7 and 8 as Debian ships them (OpenSSL flavour first, then GnuTLS).
constexpr const char* kLibraryNames[] = {"libcurl.so.4", "libcurl-gnutls.so.4"};

// Sets `out` to the library's `name`, or adds the name to `missing`.
template <typename Function>
void Resolve(void* library, const char* name, Function& out, std::string& missing) {
  out = reinterpret_cast<Function>(::dlsym(library, name));
  if (!out) missing += std::string(missing.empty() ? "" : ", ") + name;
}

}  // namespace

const CurlLibrary& CurlLibrary::Get() {
  static CurlLibrary curl;
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    void* library = nullptr;
    for (const char* name : kLibraryNames) {
      if ((library = ::dlopen(name, RTLD_NOW | RTLD_LOCAL))) break;
    }
    if (!library) {
      const char* reason = ::dlerror();
      error = std::string("clickhouse: cannot load libcurl (libcurl.so.4; Debian package libcurl4): ") +
              (reason ? reason : "not found");
      return;
    }
    std::string missing;
    decltype(&::curl_global_init) global_init = nullptr;
    Resolve(library, "curl_global_init", global_init, missing);
    Resolve(library, "curl_easy_init", curl.easy_init, missing);
    Resolve(library, "curl_easy_setopt", curl.easy_setopt, missing);
    Resolve(library, "curl_easy_perform", curl.easy_perform, missing);
    Resolve(library, "curl_easy_getinfo", curl.easy_getinfo, missing);
    Resolve(library, "curl_easy_cleanup", curl.easy_cleanup, missing);
    Resolve(library, "curl_easy_strerror", curl.easy_strerror, missing);
    Resolve(library, "curl_multi_init", curl.multi_init, missing);
    Resolve(library, "curl_multi_add_handle", curl.multi_add_handle, missing);
    Resolve(library, "curl_multi_remove_handle", curl.multi_remove_handle, missing);
    Resolve(library, "curl_multi_perform", curl.multi_perform, missing);
    Resolve(library, "curl_multi_poll", curl.multi_poll, missing);
    Resolve(library, "curl_multi_info_read", curl.multi_info_read, missing);
    Resolve(library, "curl_multi_cleanup", curl.multi_cleanup, missing);
    Resolve(library, "curl_multi_strerror", curl.multi_strerror, missing);
    if (!missing.empty()) {
      error = "clickhouse: the libcurl found lacks " + missing + " (libcurl 7.66 or later is needed)";
      return;
    }
    global_init(CURL_GLOBAL_DEFAULT);
  });
  if (!error.empty()) throw ClickHouseError(error);
  return curl;
}

}  // namespace kql::clickhouse
