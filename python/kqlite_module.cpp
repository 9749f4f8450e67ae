// The `kqlite._kqlite` extension (pybind11): runs a query or a hunt in a fresh Engine over data paths and
// DataFrame columns the Python side (python/kqlite/__init__.py) has already split into typed NumPy arrays and
// lists; hands the result back as one (name, KQL type, values, validity) tuple per column. The pandas mapping
// lives in Python; this file only moves columns between NumPy and the engine's vectors.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "kqlite/engine.h"
#include "pack/builtin_pack.h"
#include "rules/alert_writer.h"
#include "rules/hunt.h"
#include "rules/rule_loader.h"
#include "types/datetime.h"
#include "types/dynamic.h"
#include "vector/column_vector.h"
#include "vector/data_chunk.h"

namespace py = pybind11;

namespace kql::python {

namespace {

/// A DataFrame column as the Python side sends it: name, KQL type name, values, validity (or None).
using FrameColumn = std::tuple<std::string, std::string, py::object, py::object>;
using Frame = std::pair<std::string, std::vector<FrameColumn>>;
using BoolArray = py::array_t<bool, py::array::c_style | py::array::forcecast>;

/// Raised for every engine-side failure (diagnostics, run-time errors, data that does not load).
PyObject* kql_error = nullptr;

[[noreturn]] void ThrowKqlError(const std::string& message) {
  PyErr_SetString(kql_error, message.c_str());
  throw py::error_already_set();
}

std::optional<KqlType> TypeFromName(const std::string& name) {
  static const std::pair<const char*, KqlType> kTypes[] = {
      {"bool", KqlType::kBool},         {"int", KqlType::kInt},         {"long", KqlType::kLong},
      {"real", KqlType::kReal},         {"string", KqlType::kString},   {"datetime", KqlType::kDateTime},
      {"timespan", KqlType::kTimeSpan}, {"guid", KqlType::kGuid},       {"dynamic", KqlType::kDynamic}};
  for (const auto& [type_name, type] : kTypes) {
    if (name == type_name) return type;
  }
  return std::nullopt;
}

/// Builds the engine's table from the DataFrame's columns, in chunks of the engine's default size.
std::shared_ptr<const Table> TableFromFrame(const Frame& frame) {
  const auto& [table_name, columns] = frame;
  auto table = std::make_shared<Table>();
  size_t rows = 0;
  std::vector<KqlType> types;
  for (size_t i = 0; i < columns.size(); ++i) {
    const auto& [name, type_name, values, valid] = columns[i];
    std::optional<KqlType> type = TypeFromName(type_name);
    if (!type) ThrowKqlError("table " + table_name + ": column " + name + " has no KQL type " + type_name);
    table->schema.push_back({name, *type});
    types.push_back(*type);
    size_t count = py::len(values);
    if (i > 0 && count != rows) ThrowKqlError("table " + table_name + ": columns of different lengths");
    rows = count;
  }
  for (size_t begin = 0; begin < rows; begin += vector::kDefaultChunkSize) {
    size_t end = std::min(rows, begin + vector::kDefaultChunkSize);
    vector::DataChunk chunk;
    chunk.size = end - begin;
    for (size_t i = 0; i < columns.size(); ++i) {
      const auto& [name, type_name, values, valid_object] = columns[i];
      vector::ColumnVector column(types[i]);
      column.Reserve(end - begin);
      std::optional<BoolArray> valid;
      if (!valid_object.is_none()) valid = valid_object.cast<BoolArray>();
      const bool* valid_data = valid ? valid->data() : nullptr;
      auto is_valid = [valid_data](size_t row) { return valid_data == nullptr || valid_data[row]; };
      switch (vector::PhysicalTypeOf(types[i])) {
        case vector::PhysicalType::kInt64: {
          auto array = values.cast<py::array_t<int64_t, py::array::c_style | py::array::forcecast>>();
          const int64_t* view = array.data();
          for (size_t row = begin; row < end; ++row) {
            if (is_valid(row)) {
              column.AppendInt(view[row]);
            } else {
              column.AppendNull();
            }
          }
          break;
        }
        case vector::PhysicalType::kDouble: {
          auto array = values.cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
          const double* view = array.data();
          for (size_t row = begin; row < end; ++row) {
            if (is_valid(row)) {
              column.AppendReal(view[row]);
            } else {
              column.AppendNull();
            }
          }
          break;
        }
        case vector::PhysicalType::kString: {
          auto list = values.cast<py::list>();
          for (size_t row = begin; row < end; ++row) column.AppendString(list[row].cast<std::string>());
          break;
        }
        case vector::PhysicalType::kDynamic: {
          auto list = values.cast<py::list>();
          for (size_t row = begin; row < end; ++row) {
            py::handle item = list[row];
            if (item.is_none()) {
              column.AppendNull();
              continue;
            }
            std::string error;
            Dynamic value = ParseJson(item.cast<std::string>(), &error);
            if (!value) ThrowKqlError("table " + table_name + ": column " + name + ": " + error);
            column.AppendDynamic(std::move(value));
          }
          break;
        }
      }
      chunk.columns.push_back(std::move(column));
    }
    table->Append(chunk);
  }
  return table;
}

/// The engine with the query's data: data paths, (table, path) pairs and DataFrames.
void LoadData(Engine& engine, const std::vector<std::string>& data,
              const std::vector<std::pair<std::string, std::string>>& table_paths, const std::vector<Frame>& frames) {
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const auto& path : data) inputs.emplace_back(path, "");
  for (const auto& [name, path] : table_paths) inputs.emplace_back(path, name);
  std::string problems;
  for (const auto& problem : engine.AddData(inputs)) problems += (problems.empty() ? "" : "\n") + problem;
  if (!problems.empty()) ThrowKqlError(problems);
  for (const auto& frame : frames) engine.AddTable(frame.first, TableFromFrame(frame));
}

std::optional<int64_t> NowTicks(const std::optional<std::string>& now) {
  if (!now) return std::nullopt;
  std::optional<int64_t> ticks = ParseDateTime(*now);
  if (!ticks) ThrowKqlError("now: not a datetime: " + *now);
  return ticks;
}

/// One result column for Python: (name, KQL type name, values, validity).
py::tuple ColumnToPython(const Table& table, size_t index) {
  const ColumnDef& def = table.schema[index];
  const size_t rows = table.RowCount();
  KqlType type = def.type == KqlType::kDecimal ? KqlType::kReal : def.type;
  py::array_t<bool> valid(static_cast<py::ssize_t>(rows));
  bool* valid_out = valid.mutable_data();
  py::object values;
  size_t row = 0;
  switch (vector::PhysicalTypeOf(def.type)) {
    case vector::PhysicalType::kInt64: {
      py::array_t<int64_t> array(static_cast<py::ssize_t>(rows));
      int64_t* out = array.mutable_data();
      for (const auto& chunk : table.chunks) {
        const auto& column = chunk.columns[index];
        for (size_t i = 0; i < chunk.size; ++i, ++row) {
          valid_out[row] = column.IsValid(i);
          out[row] = column.IsValid(i) ? column.ints()[i] : 0;
        }
      }
      values = std::move(array);
      break;
    }
    case vector::PhysicalType::kDouble: {
      py::array_t<double> array(static_cast<py::ssize_t>(rows));
      double* out = array.mutable_data();
      for (const auto& chunk : table.chunks) {
        const auto& column = chunk.columns[index];
        for (size_t i = 0; i < chunk.size; ++i, ++row) {
          valid_out[row] = column.IsValid(i);
          out[row] = column.IsValid(i) ? column.reals()[i] : 0.0;
        }
      }
      values = std::move(array);
      break;
    }
    case vector::PhysicalType::kString: {
      py::list list(rows);
      for (const auto& chunk : table.chunks) {
        const auto& column = chunk.columns[index];
        for (size_t i = 0; i < chunk.size; ++i, ++row) {
          valid_out[row] = true;
          std::string_view text = column.strings()[i];
          // Invalid UTF-8 in the data must not fail the whole result: undecodable bytes are replaced.
          PyObject* item = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
          if (!item) throw py::error_already_set();
          PyList_SET_ITEM(list.ptr(), static_cast<Py_ssize_t>(row), item);
        }
      }
      values = std::move(list);
      break;
    }
    case vector::PhysicalType::kDynamic: {
      py::list list(rows);
      for (const auto& chunk : table.chunks) {
        const auto& column = chunk.columns[index];
        for (size_t i = 0; i < chunk.size; ++i, ++row) {
          const Dynamic& value = column.dynamics()[i];
          bool is_valid = column.IsValid(i) && value;
          valid_out[row] = is_valid;
          if (is_valid) {
            list[row] = py::str(ToJson(*value));
          } else {
            list[row] = py::none();
          }
        }
      }
      values = std::move(list);
      break;
    }
  }
  return py::make_tuple(def.name, std::string(TypeName(type)), values, valid);
}

/// A result table for Python: its columns (ColumnToPython each).
py::list TableToPython(const Table& table) {
  py::list columns;
  for (size_t i = 0; i < table.schema.size(); ++i) columns.append(ColumnToPython(table, i));
  return columns;
}

/// Runs a query: returns (tables, warnings), tables a list of (name, columns) — one table named "" for most
/// queries, every table of a fork/facet query in order; raises KqlError with the rendered diagnostics when it
/// fails.
py::tuple RunQuery(const std::string& text, const std::vector<std::string>& data,
                   const std::vector<std::pair<std::string, std::string>>& table_paths,
                   const std::vector<Frame>& frames, const std::optional<std::string>& now, int threads) {
  Engine engine;
  LoadData(engine, data, table_paths, frames);
  QueryOptions options;
  options.threads = threads;
  if (now && *now == "latest") {
    options.now_ticks = rules::LatestEventTicks(engine, threads);
    if (!options.now_ticks) ThrowKqlError("now=\"latest\": the data has no timestamps");
  } else {
    options.now_ticks = NowTicks(now);
  }
  QueryResult result;
  {
    py::gil_scoped_release release;
    result = engine.Query(text, options);
  }
  std::vector<std::string> warnings;
  std::string errors;
  for (const auto& diagnostic : result.diagnostics) {
    std::string rendered = RenderDiagnostic(diagnostic, text);
    if (diagnostic.severity == Severity::kError) {
      errors += (errors.empty() ? "error " : "\nerror ") + rendered;
    } else {
      warnings.push_back("warning " + rendered);
    }
  }
  if (!result.ok) ThrowKqlError(errors.empty() ? result.error : errors);
  for (const auto& [table, scan] : result.scans) {
    if (scan.skipped_count > 0)
      warnings.push_back(table + ": " + std::to_string(scan.skipped_count) + " bad record(s) or value(s) skipped");
  }
  py::list tables;
  tables.append(py::make_tuple(result.table_name, TableToPython(result.table)));
  for (const NamedTable& more : result.more_tables) tables.append(py::make_tuple(more.name, TableToPython(more.table)));
  return py::make_tuple(tables, warnings);
}

/// Runs a hunt: returns the alerts as JSON lines (the CLI's --format jsonl) and the rules' problems.
py::tuple RunHunt(const std::vector<std::string>& rule_paths, const std::vector<std::string>& data,
                  const std::vector<std::pair<std::string, std::string>>& table_paths,
                  const std::vector<Frame>& frames, const std::optional<std::string>& now, int threads) {
  std::vector<rules::RuleLoadResult> loaded;
  if (rule_paths.empty()) {
    loaded = pack::LoadBuiltinRules();
  } else {
    std::vector<std::string> errors;
    std::vector<std::string> files = rules::FindRuleFiles(rule_paths, errors);
    if (!errors.empty()) {
      std::string message;
      for (const auto& error : errors) message += (message.empty() ? "" : "\n") + error;
      ThrowKqlError(message);
    }
    for (const auto& path : files) {
      for (auto& result : rules::LoadRuleFiles(path)) loaded.push_back(std::move(result));
    }
  }
  std::vector<rules::SentinelRule> rules_to_run;
  std::vector<std::string> problems;
  for (auto& result : loaded) {
    for (const auto& problem : result.problems) {
      if (!problem.is_error && rule_paths.empty()) continue;
      problems.push_back(problem.path + ":" + std::to_string(problem.line) + ": " +
                         (problem.is_error ? "error " : "warning ") + problem.code + " " + problem.message);
    }
    if (result.rule) rules_to_run.push_back(std::move(*result.rule));
  }
  Engine engine;
  LoadData(engine, data, table_paths, frames);
  rules::HuntOptions options;
  options.threads = threads;
  if (now && *now == "latest") {
    options.now_latest = true;
  } else {
    options.now_ticks = NowTicks(now);
  }
  std::ostringstream out;
  {
    py::gil_scoped_release release;
    rules::HuntReport report = rules::RunHunt(engine, std::move(rules_to_run), options);
    rules::WriteAlerts(report, rules::AlertFormat::kJsonl, out);
    for (size_t i = 0; i < report.outcomes.size(); ++i) {
      for (const auto& diagnostic : report.outcomes[i].diagnostics) {
        problems.push_back(report.rules[i].path + ": " +
                           (diagnostic.severity == Severity::kError ? "error " : "warning ") +
                           RenderDiagnostic(diagnostic, report.rules[i].query));
      }
      if (!report.outcomes[i].error.empty()) problems.push_back(report.rules[i].path + ": " + report.outcomes[i].error);
    }
  }
  return py::make_tuple(out.str(), problems);
}

}  // namespace

}  // namespace kql::python

PYBIND11_MODULE(_kqlite, module) {
  module.doc() = "kqlite's engine (use the kqlite package: kqlite.query, kqlite.hunt)";
  kql::python::kql_error = PyErr_NewException("kqlite.KqlError", PyExc_Exception, nullptr);
  module.attr("KqlError") = py::handle(kql::python::kql_error);
  module.def("run_query", &kql::python::RunQuery, py::arg("text"), py::arg("data"), py::arg("table_paths"),
             py::arg("frames"), py::arg("now"), py::arg("threads"));
  module.def("run_hunt", &kql::python::RunHunt, py::arg("rule_paths"), py::arg("data"), py::arg("table_paths"),
             py::arg("frames"), py::arg("now"), py::arg("threads"));
}
