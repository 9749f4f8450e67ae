// Stored (workspace) functions: the catalog holds their text; a query that names one parses it once and inlines
// it like a let-bound function, in a scope that hides the caller's lets. Problems inside a body are reported at
// the call as one error naming the function and the line of its definition.
#include <algorithm>

#include "binder/binder_diagnostic.h"
#include "binder/query_binder.h"
#include "binder/layer.h"

namespace kql::binder {

struct QueryBinder::ParsedStoredFunction {
  const StoredFunction* definition = nullptr;
  std::string text;          ///< `let <name> = <params> {<body>\n};` — what was parsed.
  uint32_t brace_line = 1;   ///< Line of the body's opening brace in `text`.
  ParseResult parsed;
  LetBinding binding;        ///< kFunction pointing into `parsed`, or kError when it does not parse.
};

namespace {

/// The definition's file line for a line of the parsed text.
uint32_t OriginLine(const StoredFunction& definition, uint32_t brace_line, uint32_t line) {
  return definition.body_line + (line >= brace_line ? line - brace_line : 0);
}

/// Parses the definition as `let __stored_function = (params) {body};` and sets the line of its brace.
ParseResult ParseDefinition(const StoredFunction& definition, std::string& text, uint32_t& brace_line) {
  const std::string parameters = definition.parameters.empty() ? "()" : definition.parameters;
  // The closing brace goes on the body's last line break, so that lines map one to one onto the definition's.
  const bool ends_line = !definition.body.empty() && definition.body.back() == '\n';
  text = "let __stored_function = " + parameters + " {" + definition.body + (ends_line ? "};" : "\n};");
  brace_line = 1 + static_cast<uint32_t>(std::count(parameters.begin(), parameters.end(), '\n'));
  return Parse(text);
}

/// Empty when the parse is a single function declaration, else the first problem with the definition's line.
std::string DefinitionProblem(const StoredFunction& definition, const ParseResult& parsed, uint32_t brace_line) {
  for (const Diagnostic& diagnostic : parsed.diagnostics.items()) {
    if (diagnostic.severity != Severity::kError) continue;
    return definition.origin + ":" + std::to_string(OriginLine(definition, brace_line, diagnostic.span.line)) +
           ": " + diagnostic.code + " " + diagnostic.message;
  }
  const std::vector<Statement>& statements = parsed.query.statements;
  if (statements.size() != 1 || statements[0].value == nullptr ||
      statements[0].value->kind != ExprKind::kFunctionDecl || parsed.query.body != nullptr) {
    return definition.origin + ":" + std::to_string(definition.body_line) +
           ": the parameter list or body does not form one function";
  }
  return "";
}

}  // namespace

std::string CheckStoredFunctionSyntax(const StoredFunction& definition) {
  std::string text;
  uint32_t brace_line = 1;
  const ParseResult parsed = ParseDefinition(definition, text, brace_line);
  return DefinitionProblem(definition, parsed, brace_line);
}

const LetBinding* QueryBinder::FindStoredFunction(std::string_view name) const {
  if (auto found = stored_functions_.find(name); found != stored_functions_.end()) return &found->second->binding;
  const StoredFunction* definition = catalog_.FindFunction(name);
  if (definition == nullptr) return nullptr;
  auto parsed = std::make_shared<ParsedStoredFunction>();
  parsed->definition = definition;
  parsed->parsed = ParseDefinition(*definition, parsed->text, parsed->brace_line);
  if (std::string problem = DefinitionProblem(*definition, parsed->parsed, parsed->brace_line); problem.empty()) {
    parsed->binding.kind = LetBinding::Kind::kFunction;
    parsed->binding.function = &parsed->parsed.query.statements[0].value->As<FunctionDeclExpr>();
    stored_declarations_[parsed->binding.function] = parsed.get();
  } else {
    // Reported once per query; the loader (CheckStoredFunctionSyntax) normally catches this before any query.
    diagnostics_.Error(std::string(kBindStoredFunctionError), SourceSpan{},
                       "Stored function " + definition->name + " does not parse: " + problem);
  }
  const LetBinding* binding = &parsed->binding;
  stored_functions_.emplace(std::string(name), std::move(parsed));
  return binding;
}

void QueryBinder::ReportStoredFunctionErrors(const ParsedStoredFunction& function, const CallExpr& call,
                                             size_t first) {
  std::vector<Diagnostic>& items = diagnostics_.mutable_items();
  if (first >= items.size()) return;
  const auto error = std::find_if(items.begin() + static_cast<std::ptrdiff_t>(first), items.end(),
                                  [](const Diagnostic& item) { return item.severity == Severity::kError; });
  std::string message;
  if (error != items.end()) {
    const StoredFunction& definition = *function.definition;
    message = "Stored function " + definition.name + " (" + definition.origin + ":" +
              std::to_string(OriginLine(definition, function.brace_line, error->span.line)) +
              ") does not bind: " + error->code + " " + error->message;
  }
  if (message.empty()) {
    // Warnings inside a body that binds (a fuzzy union's skipped legs...) point into another text: they are
    // moved to the call and name the function.
    for (auto item = items.begin() + static_cast<std::ptrdiff_t>(first); item != items.end(); ++item) {
      item->span = call.name_span;
      item->message = function.definition->name + ": " + item->message;
    }
    return;
  }
  // Warnings inside a body that does not bind are dropped with the errors.
  items.resize(first);
  Error(kBindStoredFunctionError, call.name_span, std::move(message));
}

std::string WorkspaceNameHint(std::string_view name) {
  auto starts = [&](std::string_view prefix) { return name.substr(0, prefix.size()) == prefix; };
  auto upper_after = [&](size_t index) { return name.size() > index && name[index] >= 'A' && name[index] <= 'Z'; };
  if (starts("_Im_") || starts("_ASim_") || (starts("im") && upper_after(2)) || (starts("vim") && upper_after(3)) ||
      (starts("ASim") && upper_after(4))) {
    return " (an ASIM parser? load Azure-Sentinel's Parsers/ folder with --functions)";
  }
  if (name.size() > 3 && name.substr(name.size() - 3) == "_CL") {
    return " (a custom table? declare it with --schema, or give its data)";
  }
  return "";
}

bool QueryBinder::CallableWithoutArguments(const FunctionDeclExpr& function) {
  return std::all_of(function.params.begin(), function.params.end(),
                     [](const FunctionParam& param) { return param.default_value != nullptr; });
}

}  // namespace kql::binder
