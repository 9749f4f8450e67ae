// libFuzzer target: arbitrary query text parsed, bound, optimised and run by the Engine over two tiny in-memory
// tables. Any outcome is fine except a crash, a hang or unbounded memory. Inputs that could legitimately produce
// huge results (integer literals of five or more digits, exponents, range or make-series over time or with
// fractional steps) are skipped so that the fuzzer's time and memory limits flag engine bugs, not big queries.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kqlite/engine.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

namespace {

// Rejects text with a digit run of five or more digits or a numeric exponent (`1e9`), which can ask for
// billions of rows through range(), mv-expand of range() or make-series.
bool IsWithinBudget(std::string_view text) {
  if (text.size() > 4096) return false;
  // Datetime ranges (`from datetime(2020-01-01) to datetime(2420-01-01) step 1h`) count rows in time units.
  const bool range =
      text.find("range") != std::string_view::npos || text.find("make-series") != std::string_view::npos;
  if (range) {
    for (std::string_view word : {"datetime", "time(", "ago(", "now("}) {
      if (text.find(word) != std::string_view::npos) return false;
    }
  }
  size_t digit_run = 0;
  for (size_t index = 0; index < text.size(); ++index) {
    char ch = text[index];
    if (std::isdigit(static_cast<unsigned char>(ch))) {
      if (++digit_run >= 5) return false;
      continue;
    }
    if (digit_run > 0 && (ch == 'e' || ch == 'E')) return false;
    // A fractional step (`step 0.001`) also asks for millions of rows.
    if (digit_run > 0 && ch == '.' && range) return false;
    digit_run = 0;
  }
  return true;
}

Engine& FuzzEngine() {
  static std::unique_ptr<Engine> engine = [] {
    auto created = std::make_unique<Engine>();
    using kql::KqlType;
    Schema schema = {{"s", KqlType::kString}, {"n", KqlType::kLong},  {"r", KqlType::kReal},
                          {"t", KqlType::kDateTime}, {"d", KqlType::kDynamic}, {"b", KqlType::kBool},
                          {"g", KqlType::kGuid},     {"ts", KqlType::kTimeSpan}, {"i", KqlType::kInt}};
    created->AddDataText(
        "T", schema, "jsonl",
        "{\"s\":\"alpha beta\",\"n\":1,\"r\":1.5,\"t\":\"2024-01-01T00:00:00Z\",\"d\":{\"a\":[1,2,{\"b\":\"x\"}]},"
        "\"b\":true,\"g\":\"6a1f3c2e-0000-4000-8000-000000000001\",\"ts\":\"01:00:00\",\"i\":3}\n"
        "{\"s\":\"\",\"n\":-7,\"r\":-0.0,\"t\":\"2024-01-02T10:00:00.5Z\",\"d\":[1,\"2\",null],\"b\":false,"
        "\"ts\":\"-1.00:00:00\",\"i\":-2147483648}\n"
        "{\"s\":\"Gamma\",\"n\":9223372036854775807,\"r\":1e308,\"d\":\"str\",\"i\":2147483647}\n"
        "{\"n\":-9223372036854775808,\"r\":\"NaN\",\"d\":{}}\n"
        "{}\n");
    created->AddDataText("U", {{"s", KqlType::kString}, {"k", KqlType::kLong}}, "csv",
                         "s,k\nalpha beta,1\nGamma,2\n,\nx,9\n");
    return created;
  }();
  return *engine;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!IsWithinBudget(text)) return -1;  // -1 keeps the input out of the corpus.
  QueryOptions options;
  options.now_ticks = 0;
  options.threads = 1;
  options.chunk_size = 2;
  Engine& engine = FuzzEngine();
  QueryResult result = engine.Query(text, options);
  (void)result;
  return 0;
}
