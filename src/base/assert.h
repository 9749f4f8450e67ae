// KQL_ASSERT: internal invariants. A failed assertion is a bug in kqlite, never a user error;
// it throws InternalError, which the engine boundary turns into an error result.
#pragma once
#include <stdexcept>
#include <string>

namespace kql {

/// Thrown by KQL_ASSERT; caught at the engine API boundary.
class InternalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void AssertFail(const char* condition, const char* file, int line, const std::string& what);

}  // namespace kql

// The file's name only (GCC 12 and clang both have __FILE_NAME__): __FILE__ would compile the build machine's
// source folder into the binary, which an installed copy must not name (e2e/install_relocated).
#ifdef __FILE_NAME__
#define KQL_ASSERT_FILE __FILE_NAME__
#else
#define KQL_ASSERT_FILE "kqlite"
#endif

#define KQL_ASSERT(cond, what)                                               \
  do {                                                                       \
    if (!(cond)) ::kql::AssertFail(#cond, KQL_ASSERT_FILE, __LINE__, what); \
  } while (0)

#ifdef NDEBUG
#define KQL_DEBUG_ASSERT(cond, what) ((void)0)
#else
#define KQL_DEBUG_ASSERT(cond, what) KQL_ASSERT(cond, what)
#endif
