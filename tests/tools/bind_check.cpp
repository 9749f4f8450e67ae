// bind_check: parses and binds JSON-lines queries ({"id": ..., "query": "..."}) from stdin against the built-in
// catalog plus --schema / --functions definitions (as `kqlite query` loads them) and prints one JSON line per
// query: {"id", "ok", "code", "message"} with the first error. Used by scripts/sentinel_bind_rate.py; not part
// of the product.
#include <iostream>
#include <string>
#include <vector>

#include "kqlite/engine.h"
#include "rules/workspace_definitions.h"
#include "types/dynamic.h"
#include "rules/layer.h"

using namespace kql;
using namespace kql::rules;

int main(int argc, char** argv) {
  using namespace kql;
  WorkspaceDefinitions definitions;
  for (int index = 1; index < argc; ++index) {
    const std::string arg = argv[index];
    if ((arg == "--schema" || arg == "--functions") && index + 1 < argc) {
      const std::string path = argv[++index];
      const auto problems = arg == "--schema" ? LoadSchemaDefinitions(path, definitions)
                                              : LoadFunctionDefinitions(path, definitions);
      for (const auto& problem : problems) std::cerr << "bind_check: warning: " << problem << "\n";
    } else {
      std::cerr << "usage: bind_check [--schema PATH]... [--functions PATH]... < queries.jsonl\n";
      return 2;
    }
  }
  Engine engine;
  definitions.ApplyTo(engine);
  std::string line;
  while (std::getline(std::cin, line)) {
    Dynamic json = ParseJson(line);
    if (json == nullptr || json->kind() != DynamicValue::Kind::kObject) continue;
    const DynamicValue* id = json->Find("id");
    const DynamicValue* query = json->Find("query");
    if (query == nullptr || query->kind() != DynamicValue::Kind::kString) continue;
    std::string out = "{\"id\":" + (id ? ToJson(*id) : std::string("null"));
    const Diagnostic* first_error = nullptr;
    const std::vector<Diagnostic> diagnostics = engine.Check(query->string_value());
    for (const Diagnostic& diagnostic : diagnostics) {
      if (diagnostic.severity == Severity::kError) {
        first_error = &diagnostic;
        break;
      }
    }
    out += first_error ? ",\"ok\":false,\"code\":" : ",\"ok\":true";
    if (first_error) {
      AppendJsonString(out, first_error->code);
      out += ",\"message\":";
      AppendJsonString(out, first_error->message);
    }
    std::cout << out << "}\n";
  }
  return 0;
}
