// RemoteSource: one morsel per query; the reader pulls lines from the HTTP stream chunk by chunk.
#include "clickhouse/remote_source.h"

#include "clickhouse/column_storage.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

namespace {

class RemoteReader : public MorselReader {
 public:
  RemoteReader(std::unique_ptr<HttpResultStream> stream, Schema columns, size_t chunk_size, ScanStats& stats)
      : stream_(std::move(stream)), columns_(std::move(columns)), chunk_size_(chunk_size), stats_(stats) {}

  bool Next(DataChunk& out) override {
    if (done_ || !stream_) return false;
    out.columns.clear();
    for (const ColumnDef& column : columns_) out.columns.emplace_back(column.type);
    out.selection.reset();
    size_t rows = 0;
    std::string line;
    try {
      while (rows < chunk_size_ && stream_->NextLine(line)) {
        if (!Decode(line, out)) return Stop(out);
        ++rows;
      }
    } catch (const ClickHouseError& error) {
      stats_.Fail(error.what());
      return Stop(out);
    }
    out.size = rows;
    stats_.AddRowsRead(rows);
    if (rows < chunk_size_) done_ = true;
    return rows > 0;
  }

 private:
  bool Stop(DataChunk& out) {
    done_ = true;
    out.size = 0;
    for (auto& column : out.columns) column.Resize(0);
    return false;
  }

  // One TabSeparated row; a line that does not split into the columns is the server's error text.
  bool Decode(const std::string& line, DataChunk& out) {
    if (columns_.empty()) return true;
    size_t start = 0;
    for (size_t index = 0; index < columns_.size(); ++index) {
      size_t end = line.find('\t', start);
      bool last = index + 1 == columns_.size();
      if ((end == std::string::npos) != last) return Malformed(line);
      if (last) end = line.size();
      if (!AppendWireCell(std::string_view(line).substr(start, end - start), out.columns[index])) {
        return Malformed(line);
      }
      start = end + 1;
    }
    return true;
  }

  bool Malformed(const std::string& line) {
    // ClickHouse reports an error that happens after the first rows were sent at the end of the body.
    if (line.rfind("Code: ", 0) == 0) {
      stats_.Fail("clickhouse: query failed: " + line.substr(0, line.find(", Stack trace")));
    } else {
      stats_.Fail("clickhouse: unexpected result line: " + line.substr(0, 200));
    }
    return false;
  }

  std::unique_ptr<HttpResultStream> stream_;
  Schema columns_;
  size_t chunk_size_;
  ScanStats& stats_;
  bool done_ = false;
};

}  // namespace

RemoteSource::RemoteSource(std::shared_ptr<const HttpConnection> connection, std::string name, Schema schema,
                           std::vector<std::string> column_sql, std::string from_sql)
    : connection_(std::move(connection)),
      name_(std::move(name)),
      schema_(std::move(schema)),
      column_sql_(std::move(column_sql)),
      from_sql_(std::move(from_sql)) {}

std::string RemoteSource::Sql(const Schema& columns) const {
  std::string select;
  for (const ColumnDef& column : columns) {
    size_t index = 0;
    while (index < schema_.size() && schema_[index].name != column.name) ++index;
    if (!select.empty()) select += ", ";
    select += index < schema_.size() ? column_sql_[index] : "NULL";
  }
  if (select.empty()) select = "1";
  return "SELECT " + select + "\nFROM " + from_sql_ + "\nFORMAT TabSeparated";
}

std::unique_ptr<MorselReader> RemoteSource::OpenMorsel(size_t, const ScanRequest& request, ScanStats& stats) const {
  std::unique_ptr<HttpResultStream> stream;
  try {
    stream = connection_->Stream(Sql(request.columns));
  } catch (const ClickHouseError& error) {
    stats.Fail(error.what());
  }
  return std::make_unique<RemoteReader>(std::move(stream), request.columns,
                                        request.chunk_size == 0 ? kDefaultChunkSize : request.chunk_size, stats);
}

}  // namespace kql::clickhouse
