// HttpConnection: libcurl (loaded on first use, curl_library.h) easy handles for whole answers, a multi handle for
// streamed results.
#include "clickhouse/http_connection.h"

#include <string>

#include "clickhouse/curl_library.h"
#include "clickhouse/layer.h"

namespace kql::clickhouse {

namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// The server's message without ClickHouse's stack trace and trailing whitespace.
std::string ServerMessage(std::string body) {
  if (size_t trace = body.find(", Stack trace"); trace != std::string::npos) body.resize(trace);
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ' || body.back() == '\r')) body.pop_back();
  if (body.size() > 2000) body = body.substr(0, 2000) + "...";
  return body;
}

// First line of an SQL statement, shortened, for messages.
std::string Shorten(const std::string& sql) {
  std::string line = sql.substr(0, sql.find('\n'));
  if (line.size() > 120) line = line.substr(0, 117) + "...";
  return line;
}

// An easy handle POSTing `body` to `url`.
CURL* NewPost(const std::string& url, const std::string& body) {
  const CurlLibrary& curl = CurlLibrary::Get();
  CURL* easy = curl.easy_init();
  if (!easy) throw ClickHouseError("clickhouse: cannot create an HTTP handle");
  curl.easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl.easy_setopt(easy, CURLOPT_POST, 1L);
  curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl.easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, body.c_str());
  curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 10L);
  curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  return easy;
}

}  // namespace

ServerUrl ParseServerUrl(const std::string& url, std::string& error) {
  ServerUrl result;
  error.clear();
  size_t scheme = url.find("://");
  if (scheme == std::string::npos || (url.compare(0, scheme, "http") != 0 && url.compare(0, scheme, "https") != 0)) {
    error = "not an http:// or https:// URL: " + url;
    return result;
  }
  size_t query = url.find('?');
  std::string base = url.substr(0, query);
  if (base.size() <= scheme + 3) {
    error = "no host in URL: " + url;
    return result;
  }
  if (base.back() != '/') base += '/';
  result.endpoint = base;
  result.database = "default";
  result.display = base;
  if (query != std::string::npos) {
    std::string rest = url.substr(query + 1);
    size_t start = 0;
    while (start <= rest.size()) {
      size_t end = rest.find('&', start);
      if (end == std::string::npos) end = rest.size();
      std::string pair = rest.substr(start, end - start);
      if (pair.rfind("database=", 0) == 0) {
        result.database = pair.substr(9);
        result.display += "?database=" + result.database;
      } else if (!pair.empty()) {
        result.parameters += (result.parameters.empty() ? "" : "&") + pair;
      }
      start = end + 1;
    }
  }
  for (char c : result.database) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_') {
      error = "database name must be letters, digits and '_': " + result.database;
      break;
    }
  }
  if (result.database.empty()) error = "empty ?database= in " + url;
  return result;
}

std::string UrlEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

HttpConnection::HttpConnection(ServerUrl url) : url_(std::move(url)) {}

std::string HttpConnection::RequestUrl(const std::string& settings, bool use_database) const {
  std::string url = url_.endpoint + "?";
  std::string separator;
  if (use_database) {
    url += "database=" + url_.database;
    separator = "&";
  }
  if (!url_.parameters.empty()) {
    url += separator + url_.parameters;
    separator = "&";
  }
  if (!settings.empty()) url += separator + settings;
  return url;
}

std::string HttpConnection::Post(const std::string& url, const std::string& payload, const std::string& sql) const {
  const CurlLibrary& curl = CurlLibrary::Get();
  CURL* easy = NewPost(url, payload);
  std::string reply;
  curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, AppendBody);
  curl.easy_setopt(easy, CURLOPT_WRITEDATA, &reply);
  CURLcode code = curl.easy_perform(easy);
  long status = 0;
  curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl.easy_cleanup(easy);
  if (code != CURLE_OK) {
    throw ClickHouseError("clickhouse: cannot reach " + url_.display + ": " + curl.easy_strerror(code));
  }
  if (status != 200) {
    throw ClickHouseError("clickhouse: " + url_.display + " rejected `" + Shorten(sql) + "`: " + ServerMessage(reply));
  }
  return reply;
}

std::string HttpConnection::Execute(const std::string& sql, const std::string& settings, bool use_database) const {
  return Post(RequestUrl(settings, use_database), sql, sql);
}

void HttpConnection::Insert(const std::string& sql, const std::string& body, const std::string& settings) const {
  std::string parameters = "query=" + UrlEncode(sql);
  if (!settings.empty()) parameters += "&" + settings;
  Post(RequestUrl(parameters, true), body, sql);
}

std::unique_ptr<HttpResultStream> HttpConnection::Stream(const std::string& sql) const {
  return std::make_unique<HttpResultStream>(*this, RequestUrl("", true), sql);
}

const std::string& HttpConnection::Version() const {
  if (version_.empty()) {
    version_ = Execute("SELECT version()", "", false);
    while (!version_.empty() && (version_.back() == '\n' || version_.back() == '\r')) version_.pop_back();
  }
  return version_;
}

int HttpConnection::MajorVersion() const { return std::atoi(Version().c_str()); }

struct HttpResultStream::Curl {
  CURLM* multi = nullptr;
  CURL* easy = nullptr;
  std::string incoming;
  std::string sql;
  ~Curl() {
    if (!multi && !easy) return;
    const CurlLibrary& curl = CurlLibrary::Get();  // Loaded: the handles came from it.
    if (multi && easy) curl.multi_remove_handle(multi, easy);
    if (easy) curl.easy_cleanup(easy);
    if (multi) curl.multi_cleanup(multi);
  }
};

HttpResultStream::HttpResultStream(const HttpConnection& connection, const std::string& url, const std::string& sql)
    : curl_(std::make_unique<Curl>()), display_(connection.url().display) {
  const CurlLibrary& curl = CurlLibrary::Get();
  curl_->sql = sql;
  curl_->easy = NewPost(url, sql);
  curl.easy_setopt(curl_->easy, CURLOPT_WRITEFUNCTION, AppendBody);
  curl.easy_setopt(curl_->easy, CURLOPT_WRITEDATA, &curl_->incoming);
  curl_->multi = curl.multi_init();
  curl.multi_add_handle(curl_->multi, curl_->easy);
}

HttpResultStream::~HttpResultStream() = default;

void HttpResultStream::CheckStatus() {
  const CurlLibrary& curl = CurlLibrary::Get();
  long status = 0;
  curl.easy_getinfo(curl_->easy, CURLINFO_RESPONSE_CODE, &status);
  if (status != 0 && status != 200) {
    // Drain the error body before reporting it.
    int running = 1;
    while (running) {
      curl.multi_perform(curl_->multi, &running);
      if (running) curl.multi_poll(curl_->multi, nullptr, 0, 1000, nullptr);
    }
    throw ClickHouseError("clickhouse: " + display_ + " rejected `" + Shorten(curl_->sql) +
                          "`: " + ServerMessage(buffer_.substr(position_) + curl_->incoming));
  }
}

// Reads more of the response into buffer_; false when the transfer is over and nothing new arrived.
bool HttpResultStream::Fill() {
  if (done_) return false;
  const CurlLibrary& curl = CurlLibrary::Get();
  while (curl_->incoming.empty()) {
    int running = 0;
    CURLMcode code = curl.multi_perform(curl_->multi, &running);
    if (code != CURLM_OK) throw ClickHouseError("clickhouse: " + display_ + ": " + curl.multi_strerror(code));
    if (!running) {
      int queued = 0;
      while (CURLMsg* message = curl.multi_info_read(curl_->multi, &queued)) {
        if (message->msg == CURLMSG_DONE && message->data.result != CURLE_OK) {
          throw ClickHouseError("clickhouse: cannot reach " + display_ + ": " +
                                curl.easy_strerror(message->data.result));
        }
      }
      done_ = true;
      break;
    }
    if (curl_->incoming.empty()) curl.multi_poll(curl_->multi, nullptr, 0, 1000, nullptr);
  }
  CheckStatus();
  if (curl_->incoming.empty()) return false;
  buffer_.erase(0, position_);
  position_ = 0;
  buffer_ += curl_->incoming;
  curl_->incoming.clear();
  return true;
}

bool HttpResultStream::NextLine(std::string& line) {
  while (true) {
    size_t end = buffer_.find('\n', position_);
    if (end != std::string::npos) {
      line.assign(buffer_, position_, end - position_);
      position_ = end + 1;
      return true;
    }
    if (!Fill()) {
      if (position_ < buffer_.size()) {
        line.assign(buffer_, position_, std::string::npos);
        position_ = buffer_.size();
        return true;
      }
      return false;
    }
  }
}

}  // namespace kql::clickhouse
