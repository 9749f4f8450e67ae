// Engine: the public entry point. Query() runs parse → bind → optimize → execute and turns every failure into
// diagnostics or an error message: nothing thrown inside the pipeline escapes to the caller.
#include "kqlite/engine.h"

#include <chrono>

#include "binder/binder.h"
#include "catalog/catalog.h"
#include "engine/data_registry.h"
#include "engine/external_data.h"
#include "engine/query_context.h"
#include "execution/execution_context.h"
#include "execution/query_limits.h"
#include "optimizer/optimizer.h"
#include "plan/plan_backend.h"
#include "syntax/parser.h"
#include "engine/layer.h"

namespace kql {

// The engine implements the public API (namespace kql) over every layer.
using namespace kql::engine;

struct Engine::Impl {
  Catalog catalog;
  std::map<std::string, std::shared_ptr<const TableSource>> sources;
  std::map<std::string, std::string> external_files;  ///< externaldata URI -> local file.
  std::vector<DataFileInfo> data_files;
  std::vector<std::string> data_notices;

  void Register(std::shared_ptr<const TableSource> source) {
    // Tables unknown to the built-in catalog become bindable with the source's own (possibly inferred) schema; a
    // known table whose files carry extra columns gets them too.
    const Schema* known = catalog.FindTable(source->name());
    if (!known || known->size() < source->schema().size()) catalog.AddTable(source->name(), source->schema());
    sources[source->name()] = std::move(source);
  }
};

namespace {

int64_t WallClockTicks() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count() / 100;
}

// Fills in the line numbers of the bad-value examples.
void ResolveBadValueLines(const TableSource& source, std::map<std::string, BadValueCount>& bad_values) {
  std::vector<SkippedRecord> examples;
  for (const auto& [column, count] : bad_values) examples.push_back(count.example);
  source.ResolveLines(examples);
  size_t index = 0;
  for (auto& [column, count] : bad_values) count.example = examples[index++];
}

}  // namespace

Engine::Engine() : impl_(std::make_unique<Impl>()) {}
Engine::~Engine() = default;

void Engine::AddTable(const std::string& name, std::shared_ptr<const Table> table) {
  impl_->Register(std::make_shared<MemoryTableSource>(name, std::move(table)));
}

void Engine::MapExternalData(const std::string& uri, const std::string& path) { impl_->external_files[uri] = path; }

void Engine::AddSource(std::shared_ptr<const TableSource> source) { impl_->Register(std::move(source)); }

std::vector<std::string> Engine::AddData(const std::string& path, const std::string& table) {
  return AddData(std::vector<std::pair<std::string, std::string>>{{path, table}});
}

std::vector<std::string> Engine::AddData(const std::vector<std::pair<std::string, std::string>>& inputs) {
  std::vector<std::string> problems;
  for (auto& source : OpenDataSources(inputs, impl_->catalog, problems, &impl_->data_notices, &impl_->data_files)) {
    impl_->Register(std::move(source));
  }
  return problems;
}

const std::vector<DataFileInfo>& Engine::DataFiles() const { return impl_->data_files; }

const std::vector<std::string>& Engine::DataNotices() const { return impl_->data_notices; }

std::vector<std::string> Engine::AddDataText(const std::string& name, const Schema& schema, const std::string& format,
                                             const std::string& text) {
  std::vector<std::string> problems;
  Schema effective = schema;
  if (effective.empty()) {
    if (const Schema* known = impl_->catalog.FindTable(name)) effective = *known;
  }
  auto source = OpenTextSource(name, effective, format, text, problems);
  if (source) {
    // A schema given with inline data overrides the built-in one for this engine.
    if (!schema.empty()) impl_->catalog.AddTable(name, schema);
    impl_->Register(std::move(source));
  }
  return problems;
}

void Engine::AddTableSchema(const std::string& name, const Schema& schema) { impl_->catalog.AddTable(name, schema); }

void Engine::AddFunction(const std::string& name, const StoredFunction& function) {
  impl_->catalog.AddFunction(name, function);
}

namespace {

QueryFailure FailureOf(LimitKind kind) {
  switch (kind) {
    case LimitKind::kMemory: return QueryFailure::kMemoryLimit;
    case LimitKind::kTimeout: return QueryFailure::kTimeout;
    case LimitKind::kCancelled: return QueryFailure::kCancelled;
  }
  return QueryFailure::kError;
}

}  // namespace

QueryResult Engine::Query(std::string_view text, const QueryOptions& options) {
  QueryResult result;
  // One budget, deadline and cancel flag for the query and every sub-plan it runs (toscalar, in (T | ...)).
  QueryLimits limits(options.max_memory_bytes, options.timeout, options.cancel);
  limits.SetProgress(options.progress);
  try {
    ParseResult parsed = Parse(text);
    result.diagnostics = parsed.diagnostics.items();
    if (!parsed.ok()) return result;
    BindOptions bind_options;
    bind_options.now_ticks = options.now_ticks ? *options.now_ticks : WallClockTicks();
    // Sub-plans whose results decide the query's schema (bag_unpack) or constants (toscalar) run while binding.
    bind_options.evaluate_plan = [&](const LogicalOperator& sub_plan) -> std::optional<Table> {
      ExecutionContext sub_context = QueryContext(options);
      sub_context.sources = impl_->sources;
      for (const auto& [name, source] : options.source_overrides) sub_context.sources[name] = source;
      sub_context.limits = &limits;
      try {
        LogicalOperatorPtr optimized = Optimize(sub_plan.Clone());
        return ExecutePlan(*optimized, sub_context);
      } catch (const QueryLimitError&) {
        throw;
      } catch (const QueryError&) {
        return std::nullopt;
      }
    };
    bind_options.external_files = impl_->external_files;
    bind_options.data_tables.emplace();
    for (const auto& [name, source] : impl_->sources) bind_options.data_tables->push_back(name);
    for (const auto& [name, source] : options.source_overrides) {
      if (!impl_->sources.contains(name)) bind_options.data_tables->push_back(name);
    }
    BindResult bound = Bind(parsed, impl_->catalog, bind_options);
    for (const auto& diagnostic : bound.diagnostics.items()) result.diagnostics.push_back(diagnostic);
    if (bound.diagnostics.HasErrors() || !bound.plan) return result;
    result.render = std::move(bound.render);
    LogicalOperatorPtr plan = Optimize(std::move(bound.plan));
    ExecutionContext context = QueryContext(options);
    context.sources = impl_->sources;
    for (const auto& [name, source] : options.source_overrides) context.sources[name] = source;
    for (const ExternalTable& external : bound.external_tables) {
      std::string error;
      std::shared_ptr<const TableSource> source = OpenExternalData(external, error);
      if (!source) {
        result.error = error;
        return result;
      }
      context.sources[external.name] = std::move(source);
    }
    context.limits = &limits;
    try {
      if (options.backend) plan = options.backend->Offload(std::move(plan), context.sources, nullptr);
      if (options.stream != nullptr && bound.more_results.empty()) {
        ExecutePlanInto(*plan, context, *options.stream);
        result.table.schema = plan->schema;
      } else {
        result.table = ExecutePlan(*plan, context);
      }
      // fork / facet: the further tables, each over its own copy of the input plan.
      result.table_name = std::move(bound.result_name);
      for (NamedPlan& more : bound.more_results) {
        LogicalOperatorPtr more_plan = Optimize(std::move(more.plan));
        if (options.backend) more_plan = options.backend->Offload(std::move(more_plan), context.sources, nullptr);
        result.more_tables.push_back({std::move(more.name), ExecutePlan(*more_plan, context)});
      }
      result.ok = true;
    } catch (const QueryLimitError& error) {
      result.error = error.what();
      result.failure = FailureOf(error.kind());
    } catch (const QueryError& error) {
      result.error = error.what();
      result.failure = QueryFailure::kError;
    } catch (const std::bad_alloc&) {
      // An allocation the budget did not foresee; the partial results are freed on the way out.
      result.table = Table();
      result.error = "query ran out of memory (" + FormatBytes(limits.used_bytes()) +
                     " accounted); lower --max-memory or narrow the query";
      result.failure = QueryFailure::kMemoryLimit;
    }
    for (const auto& [table, stats] : context.scan_stats) {
      ScanSummary summary;
      summary.rows_read = stats->rows_read();
      summary.rows_prefiltered = stats->rows_prefiltered();
      summary.bytes_read = stats->bytes_read();
      summary.skipped_count = stats->skipped_count();
      summary.skipped = stats->skipped();
      summary.bad_values = stats->bad_values();
      if (auto source = context.sources.find(table); source != context.sources.end()) {
        source->second->ResolveLines(summary.skipped);
        ResolveBadValueLines(*source->second, summary.bad_values);
      }
      result.scans[table] = std::move(summary);
    }
  } catch (const QueryLimitError& error) {
    // A limit reached while binding ran a sub-plan (toscalar, bag_unpack).
    result.ok = false;
    result.error = error.what();
    result.failure = FailureOf(error.kind());
  } catch (const std::bad_alloc&) {
    result.ok = false;
    result.error = "query ran out of memory; lower --max-memory or narrow the query";
    result.failure = QueryFailure::kMemoryLimit;
  } catch (const std::exception& error) {
    result.ok = false;
    result.error = std::string("internal error: ") + error.what();
    result.failure = QueryFailure::kError;
  }
  return result;
}

std::vector<Diagnostic> Engine::Check(std::string_view text, bool syntax_only) {
  ParseResult parsed = Parse(text);
  std::vector<Diagnostic> diagnostics = parsed.diagnostics.items();
  if (syntax_only || !parsed.ok()) return diagnostics;
  BindOptions bind_options;
  bind_options.now_ticks = WallClockTicks();
  bind_options.external_files = impl_->external_files;
  try {
    BindResult bound = Bind(parsed, impl_->catalog, bind_options);
    for (const auto& diagnostic : bound.diagnostics.items()) diagnostics.push_back(diagnostic);
  } catch (const std::exception& error) {
    diagnostics.push_back(Diagnostic{Severity::kError, "KQL9000", {}, std::string("internal error: ") + error.what()});
  }
  return diagnostics;
}

std::optional<Schema> Engine::ResultSchema(std::string_view text) {
  ParseResult parsed = Parse(text);
  if (!parsed.ok()) return std::nullopt;
  BindOptions bind_options;
  bind_options.now_ticks = WallClockTicks();
  bind_options.external_files = impl_->external_files;
  try {
    BindResult bound = Bind(parsed, impl_->catalog, bind_options);
    if (!bound.ok()) return std::nullopt;
    return bound.plan->schema;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string Engine::Explain(std::string_view text, PlanStage stage, const QueryOptions& options) {
  ParseResult parsed = Parse(text);
  std::string out;
  auto render = [&](const std::vector<Diagnostic>& diagnostics) {
    for (const auto& diagnostic : diagnostics) out += RenderDiagnostic(diagnostic, text) + "\n";
    return out;
  };
  if (!parsed.ok()) return render(parsed.diagnostics.items());
  BindOptions bind_options;
  bind_options.now_ticks = options.now_ticks ? *options.now_ticks : WallClockTicks();
  bind_options.external_files = impl_->external_files;
  BindResult bound = Bind(parsed, impl_->catalog, bind_options);
  if (bound.diagnostics.HasErrors() || !bound.plan) return render(bound.diagnostics.items());
  LogicalOperatorPtr plan = std::move(bound.plan);
  if (stage == PlanStage::kOptimized) plan = Optimize(std::move(plan));
  if (!bound.more_results.empty()) {
    // fork / facet: each result table's plan under its name.
    out = "-- " + bound.result_name + "\n" + PrintPlan(*plan);
    for (NamedPlan& more : bound.more_results) {
      if (stage == PlanStage::kOptimized) more.plan = Optimize(std::move(more.plan));
      out += "-- " + more.name + "\n" + PrintPlan(*more.plan);
    }
    return out;
  }
  if (stage == PlanStage::kOptimized && options.backend) {
    // The plan as it runs: offloaded subtrees are scans of the back end's sources, followed by their SQL.
    std::map<std::string, std::shared_ptr<const TableSource>> sources = impl_->sources;
    std::string offloaded;
    plan = options.backend->Offload(std::move(plan), sources, &offloaded);
    return PrintPlan(*plan) + offloaded;
  }
  return PrintPlan(*plan);
}

const Catalog& Engine::catalog() const { return impl_->catalog; }

std::vector<std::string> Engine::TableNames() const {
  std::vector<std::string> names;
  for (const auto& [name, source] : impl_->sources) names.push_back(name);
  return names;
}

std::shared_ptr<const TableSource> Engine::Source(const std::string& name) const {
  auto found = impl_->sources.find(name);
  return found == impl_->sources.end() ? nullptr : found->second;
}

}  // namespace kql
