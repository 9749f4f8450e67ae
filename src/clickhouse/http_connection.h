// HttpConnection: talks to one ClickHouse server over its HTTP interface (every version has it) with libcurl.
// Queries go in the POST body; results are read whole (DDL, small answers) or streamed line by line
// (HttpResultStream), so a large result never sits in memory at once. Failures throw ClickHouseError with the
// server's own message or curl's reason (connection refused, timeout).
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "clickhouse/layer.h"

namespace kql::clickhouse {

/// A connection or query failure; what() is a complete message naming the server.
class ClickHouseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A parsed --clickhouse URL: `http://host:port/?database=NAME` (other parameters, like user and password, are
/// passed through to every request).
struct ServerUrl {
  std::string endpoint;    ///< scheme://host:port/ (always ends in '/').
  std::string database;    ///< `default` unless ?database= names one.
  std::string parameters;  ///< Other query parameters, already URL-encoded, joined with '&'.
  std::string display;     ///< The URL without credentials, for messages.
};

/// Parses a server URL; nullopt-like failure is reported through `error` (empty on success).
ServerUrl ParseServerUrl(const std::string& url, std::string& error);

/// Percent-encodes a URL parameter value.
std::string UrlEncode(std::string_view text);

class HttpResultStream;

/// One server.
class HttpConnection {
 public:
  explicit HttpConnection(ServerUrl url);
  const ServerUrl& url() const { return url_; }
  /// Runs `sql` (in `database` unless use_database is false) and returns the whole response body.
  /// `settings` are extra URL parameters such as "insert_distributed_sync=1".
  std::string Execute(const std::string& sql, const std::string& settings = "", bool use_database = true) const;
  /// Sends `body` as the data of `sql` (an INSERT ... FORMAT TabSeparated).
  void Insert(const std::string& sql, const std::string& body, const std::string& settings = "") const;
  /// Starts `sql` and returns a stream over the lines of its result.
  std::unique_ptr<HttpResultStream> Stream(const std::string& sql) const;
  /// The server's version() string, e.g. "18.16.1" (cached after the first call).
  const std::string& Version() const;
  /// The major version number (18, 24, ...).
  int MajorVersion() const;

 private:
  std::string RequestUrl(const std::string& settings, bool use_database) const;
  /// POSTs `payload` to `url` and returns the reply; throws ClickHouseError naming `sql` when it fails.
  std::string Post(const std::string& url, const std::string& payload, const std::string& sql) const;
  ServerUrl url_;
  mutable std::string version_;
};

/// The lines of a streamed result (TabSeparated: one row per line).
class HttpResultStream {
 public:
  HttpResultStream(const HttpConnection& connection, const std::string& url, const std::string& sql);
  ~HttpResultStream();
  HttpResultStream(const HttpResultStream&) = delete;
  HttpResultStream& operator=(const HttpResultStream&) = delete;
  /// The next line without its '\n'; false at the end. Throws ClickHouseError when the query failed.
  bool NextLine(std::string& line);

 private:
  bool Fill();
  void CheckStatus();
  struct Curl;
  std::unique_ptr<Curl> curl_;
  std::string display_;
  std::string buffer_;
  size_t position_ = 0;
  bool done_ = false;
};

}  // namespace kql::clickhouse
