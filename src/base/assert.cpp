#include "base/assert.h"

namespace kql {

void AssertFail(const char* condition, const char* file, int line, const std::string& what) {
  throw InternalError(std::string("internal error: ") + what + " (" + condition + " at " + file + ":" +
                      std::to_string(line) + ")");
}

}  // namespace kql
