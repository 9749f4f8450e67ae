// Loads custom table schemas and stored functions (control commands, Sentinel parser YAML, kqlcheck-style JSON).
#include "rules/workspace_definitions.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "binder/binder.h"
#include "catalog/schema_parser.h"
#include "kqlite/engine.h"
#include "syntax/control_command.h"
#include "types/dynamic.h"
#include "rules/layer.h"

namespace kql::rules {
namespace {

namespace fs = std::filesystem;

enum class FileKind { kControlCommands, kParserYaml, kJson, kOther };

FileKind KindOf(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  if (extension == ".kql" || extension == ".csl") return FileKind::kControlCommands;
  if (extension == ".yaml" || extension == ".yml") return FileKind::kParserYaml;
  if (extension == ".json") return FileKind::kJson;
  return FileKind::kOther;
}

std::string Trimmed(std::string text) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

class DefinitionLoader {
 public:
  explicit DefinitionLoader(WorkspaceDefinitions& definitions) : definitions_(definitions) {}

  /// Loads a file or every file of a folder whose kind is in `kinds` (a named file is always read).
  void LoadPath(const std::string& path, const std::vector<FileKind>& kinds) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<fs::path> files;
      for (fs::recursive_directory_iterator it(path, error), end; it != end && !error; it.increment(error)) {
        if (it->is_regular_file() && std::find(kinds.begin(), kinds.end(), KindOf(it->path())) != kinds.end())
          files.push_back(it->path());
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& file : files) LoadFile(file, /*named=*/false);
    } else if (fs::exists(path, error)) {
      LoadFile(path, /*named=*/true);
    } else {
      problems_.push_back(path + ": no such file or folder");
    }
  }

  std::vector<std::string> TakeProblems() { return std::move(problems_); }

 private:
  void LoadFile(const fs::path& path, bool named) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Problem(path.string(), 0, "cannot read the file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    switch (KindOf(path)) {
      case FileKind::kParserYaml:
        return LoadParserYaml(path.string(), text, named);
      case FileKind::kJson:
        return LoadJson(path.string(), text);
      case FileKind::kControlCommands:
      case FileKind::kOther:
        return LoadControlCommands(path.string(), text);
    }
  }

  void Problem(const std::string& path, uint32_t line, const std::string& message) {
    problems_.push_back(path + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message);
  }

  void AddTable(const std::string& path, uint32_t line, const std::string& name, std::string_view schema_text) {
    std::string error;
    std::optional<Schema> schema = ParseSchemaText(schema_text, &error);
    if (!schema) return Problem(path, line, "table " + name + ": " + error);
    definitions_.tables.emplace_back(name, std::move(*schema));
  }

  /// Adds a function under each of its names after checking that it parses.
  void AddFunction(const std::vector<std::string>& names, const StoredFunction& function) {
    if (std::string problem = CheckStoredFunctionSyntax(function); !problem.empty()) {
      return problems_.push_back(problem);
    }
    for (const std::string& name : names) definitions_.functions.emplace_back(name, function);
  }

  void LoadControlCommands(const std::string& path, const std::string& text) {
    ControlCommandSet commands = ParseControlCommands(text);
    for (const ControlCommandProblem& problem : commands.problems) Problem(path, problem.line, problem.message);
    for (ControlDefinition& definition : commands.definitions) {
      if (definition.kind == ControlDefinition::Kind::kTable) {
        AddTable(path, definition.line, definition.name, definition.schema);
        continue;
      }
      StoredFunction function{definition.name, std::move(definition.parameters), std::move(definition.body), path,
                              definition.body_line};
      AddFunction({definition.name}, function);
    }
  }

  void LoadParserYaml(const std::string& path, const std::string& text, bool named) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& error) {
      return Problem(path, static_cast<uint32_t>(error.mark.line + 1), "not valid YAML: " + error.msg);
    }
    if (!root.IsMap()) {
      if (named) Problem(path, 0, "not a Sentinel parser (no ParserQuery or FunctionQuery)");
      return;
    }
    YAML::Node query = root["ParserQuery"] ? root["ParserQuery"] : root["FunctionQuery"];
    if (!query || !query.IsScalar()) {
      if (named) Problem(path, 0, "not a Sentinel parser (no ParserQuery or FunctionQuery)");
      return;
    }
    std::vector<std::string> names;
    for (const char* key :
         {"ParserName", "FunctionName", "EquivalentBuiltInParser", "EquivalentBuiltInFunction", "FunctionAlias"}) {
      if (YAML::Node name = root[key]; name && name.IsScalar() && !Trimmed(name.Scalar()).empty()) {
        const std::string value = Trimmed(name.Scalar());
        if (std::find(names.begin(), names.end(), value) == names.end()) names.push_back(value);
      }
    }
    if (names.empty()) return Problem(path, 0, "the parser has no ParserName or FunctionName");
    StoredFunction function;
    function.name = names.front();
    function.origin = path;
    // A block scalar (`ParserQuery: |`) starts on the line after its key.
    function.body_line = static_cast<uint32_t>(query.Mark().line + 1) +
                         (query.Scalar().find('\n') != std::string::npos ? 1 : 0);
    function.body = query.Scalar();
    function.parameters = "(";
    YAML::Node params = root["ParserParams"] ? root["ParserParams"] : root["FunctionParams"];
    if (params && params.IsSequence()) {
      bool first = true;
      for (const YAML::Node& param : params) {
        if (!param.IsMap() || !param["Name"] || !param["Type"]) {
          return Problem(path, static_cast<uint32_t>(param.Mark().line + 1), "a parameter needs Name and Type");
        }
        std::string type = Trimmed(param["Type"].Scalar());
        // ASIM's helper functions (ASIM/lib/functions) write a tabular parameter's type as `table:(*)`.
        if (type.rfind("table:", 0) == 0) type = Trimmed(type.substr(6));
        function.parameters += (first ? "" : ", ") + Trimmed(param["Name"].Scalar()) + ":" + type;
        if (param["Default"] && param["Default"].IsScalar()) {
          function.parameters += "=" + DefaultLiteral(type, Trimmed(param["Default"].Scalar()));
        }
        first = false;
      }
    }
    function.parameters += ")";
    AddFunction(names, function);
  }

  /// YAML unquotes `Default: '*'`; a string parameter's default must be a KQL string literal again.
  static std::string DefaultLiteral(const std::string& type, const std::string& value) {
    if (type != "string") return value;
    if (!value.empty() && (value.front() == '\'' || value.front() == '"' || value.front() == '@')) return value;
    std::string literal = "'";
    for (char ch : value) {
      if (ch == '\'' || ch == '\\') literal += '\\';
      literal += ch;
    }
    return literal + "'";
  }

  void LoadJson(const std::string& path, const std::string& text) {
    std::string error;
    Dynamic json = ParseJson(text, &error);
    if (json == nullptr || json->kind() != DynamicValue::Kind::kObject) {
      return Problem(path, 0, "not a JSON object: " + error);
    }
    if (const DynamicValue* tables = json->Find("tables"); tables && tables->kind() == DynamicValue::Kind::kObject) {
      for (const auto& [name, columns] : tables->members()) {
        if (columns->kind() == DynamicValue::Kind::kString) {
          AddTable(path, 0, name, columns->string_value());
          continue;
        }
        std::string schema_text;
        for (const auto& [column, type] : columns->members()) {
          if (type->kind() != DynamicValue::Kind::kString) continue;
          if (!schema_text.empty()) schema_text += ", ";
          std::string quoted;
          for (char ch : column) quoted += ch == '\'' ? std::string("\\'") : std::string(1, ch);
          schema_text += "['" + quoted + "']:" + type->string_value();
        }
        AddTable(path, 0, name, "(" + schema_text + ")");
      }
    }
    if (const DynamicValue* functions = json->Find("functions");
        functions && functions->kind() == DynamicValue::Kind::kObject) {
      for (const auto& [name, definition] : functions->members()) {
        const DynamicValue* params = definition->Find("params");
        const DynamicValue* body = definition->Find("body");
        if (body == nullptr || body->kind() != DynamicValue::Kind::kString) {
          Problem(path, 0, "function " + name + " has no \"body\"");
          continue;
        }
        std::string body_text = Trimmed(body->string_value());
        if (body_text.size() >= 2 && body_text.front() == '{' && body_text.back() == '}') {
          body_text = body_text.substr(1, body_text.size() - 2);
        }
        StoredFunction function{name, params && params->kind() == DynamicValue::Kind::kString ? params->string_value()
                                                                                              : "()",
                                body_text, path, 1};
        AddFunction({name}, function);
      }
    }
  }

  WorkspaceDefinitions& definitions_;
  std::vector<std::string> problems_;
};

}  // namespace

void WorkspaceDefinitions::ApplyTo(Engine& engine) const {
  for (const auto& [name, schema] : tables) engine.AddTableSchema(name, schema);
  for (const auto& [name, function] : functions) engine.AddFunction(name, function);
}

std::vector<std::string> LoadFunctionDefinitions(const std::string& path, WorkspaceDefinitions& definitions) {
  DefinitionLoader loader(definitions);
  loader.LoadPath(path, {FileKind::kControlCommands, FileKind::kParserYaml});
  return loader.TakeProblems();
}

std::vector<std::string> LoadSchemaDefinitions(const std::string& path, WorkspaceDefinitions& definitions) {
  DefinitionLoader loader(definitions);
  loader.LoadPath(path, {FileKind::kControlCommands, FileKind::kJson});
  return loader.TakeProblems();
}

}  // namespace kql::rules
