#include "engine/data_registry.h"

#include "io/data_discovery.h"
#include "engine/layer.h"

namespace kql::engine {

namespace {

const char* MatchName(TableMatch match) {
  switch (match) {
    case TableMatch::kForced: return "forced";
    case TableMatch::kCategory: return "category";
    case TableMatch::kFileName: return "file name";
    case TableMatch::kColumns: return "columns";
    case TableMatch::kUnmatched: return "unmatched";
  }
  return "unmatched";
}

}  // namespace

std::vector<std::shared_ptr<const TableSource>> OpenDataSources(
    const std::vector<std::pair<std::string, std::string>>& inputs, const Catalog& catalog,
    std::vector<std::string>& problems, std::vector<std::string>* notices, std::vector<DataFileInfo>* files) {
  std::vector<DataInput> data_inputs;
  for (const auto& [path, table] : inputs) data_inputs.push_back(DataInput{path, table});
  SchemaLookup lookup = [&catalog](const std::string& table) { return catalog.FindTable(table); };
  DiscoveredData discovered = DiscoverData(data_inputs, lookup, ReaderOptions{}, catalog.TableNames());
  problems.insert(problems.end(), discovered.errors.begin(), discovered.errors.end());
  if (notices) notices->insert(notices->end(), discovered.notices.begin(), discovered.notices.end());
  if (files) {
    for (const DiscoveredFile& file : discovered.files) {
      files->push_back({file.input, file.path, file.table, MatchName(file.match)});
    }
  }
  std::vector<std::shared_ptr<const TableSource>> sources;
  for (auto& source : discovered.sources) sources.push_back(std::move(source));
  return sources;
}

std::shared_ptr<const TableSource> OpenTextSource(const std::string& name, const Schema& schema,
                                                  const std::string& format, const std::string& text,
                                                  std::vector<std::string>& problems) {
  FileFormat file_format;
  if (format == "jsonl" || format == "json") {
    file_format = FileFormat::kJsonLines;
  } else if (format == "csv") {
    file_format = FileFormat::kCsv;
  } else if (format == "tsv") {
    file_format = FileFormat::kTsv;
  } else {
    problems.push_back("unknown inline data format '" + format + "' (expected jsonl, csv or tsv)");
    return nullptr;
  }
  std::unique_ptr<TableSource> source = io::OpenTextSource(name, schema, file_format, text);
  if (!source) {
    problems.push_back("cannot read inline data for table " + name);
    return nullptr;
  }
  return source;
}

}  // namespace kql::engine
