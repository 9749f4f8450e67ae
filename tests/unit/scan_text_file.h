// Test helper for reader tests: text written to a temporary file, discovered as table T, and scanned morsel by
// morsel.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/data_discovery.h"
#include "vector/table.h"
#include "vector/table_source.h"

namespace kql::test_support {

/// Appends the rows of every morsel of `source` read with `request` to `into` (whose schema becomes the request's).
inline void ScanAllMorsels(const vector::TableSource& source, const vector::ScanRequest& request,
                           vector::ScanStats& stats, vector::Table& into) {
  into.schema = request.columns;
  for (size_t morsel = 0; morsel < source.MorselCount(); ++morsel) {
    vector::DataChunk chunk;
    auto reader = source.OpenMorsel(morsel, request, stats);
    while (reader->Next(chunk)) into.Append(chunk);
  }
}

/// Writes `text` to a temporary file named `name`, discovers it as table T and calls `scan(source)`; the file is
/// removed afterwards.
template <typename Scan>
void WithTextFile(const std::string& name, const std::string& text, Scan scan) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  io::DiscoveredData data = io::DiscoverData({{path, "T"}}, nullptr, {});
  EXPECT_TRUE(data.errors.empty());
  if (!data.sources.empty()) scan(*data.sources[0]);
  std::filesystem::remove(path);
}

}  // namespace kql::test_support
