// The HTTP/1.1 protocol state machine. The request head is read and checked
// here, byte by byte, before anything else sees it; Beast's parser then only
// frames the body (Content-Length or chunked) behind a head we synthesize
// from the checked values, so ambiguities in the client's head can never
// reach it.

#include "http1.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "bulwark/http/response.h"

namespace bulwark::http::internal {
namespace {

namespace bhttp = boost::beast::http;

constexpr std::string_view kCrlf = "\r\n";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view TrimOws(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// Host = uri-host [ ":" port ]; a conservative character check (reg-name,
// IPv4, bracketed IPv6). Empty is allowed by RFC 9112 only for some
// targets; we refuse it.
constexpr std::array<bool, 256> MakeHostTable() {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view(".-:[]_")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kHostChar = MakeHostTable();

bool IsValidHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    if (!kHostChar[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

// Does a Connection header value contain `token` (comma-separated list)?
bool ListHasToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = TrimOws(list.substr(0, comma));
    if (EqualsIgnoreCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// Date header value, cached per second per thread.
std::string_view HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::array<char, 64> buffer{};
  thread_local std::size_t length = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    length = std::strftime(buffer.data(), buffer.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {buffer.data(), length};
}

bool ResponseHeadersValid(const Response& response) {
  if (response.status() < 200 || response.status() > 599) return false;
  return response.headers().AllFieldsValid();
}

bool StatusHasNoBody(int status) { return status == 204 || status == 304 || status < 200; }

}  // namespace

int ParseHeadStrict(std::string_view head, const ServerLimits& limits, HeadInfo& info) {
  // `head` ends with CRLF CRLF (the caller found it).
  std::size_t line_end = head.find(kCrlf);
  std::string_view line = head.substr(0, line_end);
  // Request line: method SP request-target SP HTTP-version. Exactly single
  // spaces; no other whitespace (RFC 9112 3: lenient parsing is a
  // smuggling vector).
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0 || sp1 > 20) return 400;
  std::string_view method_text = line.substr(0, sp1);
  if (!IsToken(method_text)) return 400;
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return 400;
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (target.size() > limits.max_target_bytes) return 414;
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !IsDigit(version[5]) ||
      version[6] != '.' || !IsDigit(version[7])) {
    return 400;
  }
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) return 505;
  info.version_minor = version[7] - '0';
  std::optional<Method> method = ParseMethod(method_text);
  if (!method) return 501;
  // Request::Create refuses a target that is not origin-form.
  Result<Request> request = Request::Create(*method, target);
  if (!request.ok()) return 400;
  request->set_version_minor(info.version_minor);

  // Fields.
  Headers& headers = request->mutable_headers();
  std::size_t pos = line_end + 2;
  std::size_t count = 0;
  std::size_t host_count = 0;
  std::size_t cl_count = 0;
  std::size_t te_count = 0;
  bool close = false;
  bool keep_alive_token = false;
  while (true) {
    std::size_t end = head.find(kCrlf, pos);
    if (end == std::string_view::npos) return 400;
    std::string_view field = head.substr(pos, end - pos);
    pos = end + 2;
    if (field.empty()) break;  // the empty line ending the head
    if (++count > limits.max_header_count) return 431;
    // obs-fold (a continuation line) is refused, as RFC 9112 5.2 allows.
    if (field.front() == ' ' || field.front() == '\t') return 400;
    std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) return 400;
    std::string_view name = field.substr(0, colon);
    // No whitespace between name and colon (RFC 9112 5.1): IsToken refuses it.
    if (!IsToken(name)) return 400;
    std::string_view value = TrimOws(field.substr(colon + 1));
    // Refuses bare CR, bare LF, NUL and other controls inside the value.
    if (!IsValidFieldValue(value)) return 400;
    if (EqualsIgnoreCase(name, "host")) {
      ++host_count;
      if (!IsValidHost(value)) return 400;
    } else if (EqualsIgnoreCase(name, "content-length")) {
      ++cl_count;
      if (value.empty() || value.size() > 18) return value.size() > 18 ? 413 : 400;
      for (char c : value) {
        if (!IsDigit(c)) return 400;
      }
      std::uint64_t n = 0;
      std::from_chars(value.data(), value.data() + value.size(), n);
      info.content_length = n;
    } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
      ++te_count;
      if (!EqualsIgnoreCase(value, "chunked")) return 501;
      info.chunked = true;
    } else if (EqualsIgnoreCase(name, "connection")) {
      if (ListHasToken(value, "close")) close = true;
      if (ListHasToken(value, "keep-alive")) keep_alive_token = true;
    } else if (EqualsIgnoreCase(name, "expect")) {
      if (!EqualsIgnoreCase(value, "100-continue")) return 417;
      info.expect_continue = true;
    }
    headers.Add(name, value);
  }
  if (pos != head.size()) return 400;
  // Exactly one Host in HTTP/1.1 (RFC 9112 3.2); at most one in 1.0.
  if (host_count > 1 || (info.version_minor == 1 && host_count == 0)) return 400;
  // Framing ambiguities are the root of request smuggling: refuse them all.
  if (cl_count > 1 || te_count > 1) return 400;
  if (cl_count == 1 && te_count == 1) return 400;
  if (te_count == 1 && info.version_minor == 0) return 400;
  if (info.content_length && *info.content_length > limits.max_body_bytes) return 413;
  if (info.version_minor == 0) {
    info.keep_alive = keep_alive_token && !close;
  } else {
    info.keep_alive = !close;
  }
  if (!info.chunked && !info.content_length) info.expect_continue = false;
  info.request = std::move(request).value();
  return 0;
}

struct Http1Connection::BodyParser {
  bhttp::request_parser<bhttp::string_body> parser;
};

Http1Connection::Http1Connection(const ServerLimits& limits, const App* app)
    : limits_(limits), app_(app) {}
Http1Connection::~Http1Connection() = default;

Http1Connection::Phase Http1Connection::phase() const noexcept {
  if (phase_ == Phase::kIdle && !buffer_.empty()) return Phase::kHead;
  return phase_;
}

void Http1Connection::Append(std::string_view bytes) {
  buffer_.append(bytes);
  pipelined_ = 0;
}

Http1Connection::Outcome Http1Connection::Reject(int status) {
  Outcome out;
  out.kind = Outcome::Kind::kReject;
  out.status = status;
  buffer_.clear();
  body_.reset();
  pending_.reset();
  phase_ = Phase::kIdle;
  keep_alive_ = false;
  return out;
}

Http1Connection::Outcome Http1Connection::Parse() {
  if (phase_ == Phase::kBody) return ParseBody();
  return ParseHead();
}

Http1Connection::Outcome Http1Connection::ParseHead() {
  // RFC 9112 2.2: ignore at least one empty line before the request line.
  std::size_t skip = 0;
  while (skip + 1 < buffer_.size() && buffer_[skip] == '\r' && buffer_[skip + 1] == '\n' &&
         skip < 4) {
    skip += 2;
  }
  if (skip > 0) buffer_.erase(0, skip);
  if (buffer_.empty()) {
    phase_ = Phase::kIdle;
    return {};
  }
  phase_ = Phase::kHead;
  // Fail fast on bytes that cannot start a request line (a TLS ClientHello
  // sent to the plain port, binary noise) instead of waiting for a CRLF.
  for (std::size_t i = 0; i < buffer_.size(); ++i) {
    if (buffer_[i] == ' ') break;
    if (i >= 20 || !IsTokenChar(buffer_[i])) return Reject(400);
  }
  std::size_t end = buffer_.find("\r\n\r\n");
  // Every line of the head ends in CRLF. A bare LF (or a CR not followed by
  // LF) is refused as soon as it arrives: waiting for a CRLF CRLF that a
  // client ending its lines in LF never sends would hold the connection until
  // the head timeout, and accepting LF alone is a smuggling vector when a
  // proxy in front reads the lines differently (RFC 9112 2.2 lets a server
  // refuse it).
  const std::size_t scan_end = end == std::string::npos ? buffer_.size() : end + 4;
  for (std::size_t i = buffer_.find('\n'); i < scan_end; i = buffer_.find('\n', i + 1)) {
    if (i == 0 || buffer_[i - 1] != '\r') return Reject(400);
  }
  for (std::size_t i = buffer_.find('\r'); i < scan_end; i = buffer_.find('\r', i + 1)) {
    if (i + 1 < buffer_.size() && buffer_[i + 1] != '\n') return Reject(400);
  }
  if (end == std::string::npos) {
    // Too long a request line is 414, too long a head is 431.
    std::size_t first_line = buffer_.find(kCrlf);
    if (first_line == std::string::npos && buffer_.size() > limits_.max_target_bytes + 32) {
      return Reject(414);
    }
    if (buffer_.size() > limits_.max_header_bytes) return Reject(431);
    return {};
  }
  std::size_t head_size = end + 4;
  if (head_size > limits_.max_header_bytes) {
    std::size_t first_line = buffer_.find(kCrlf);
    if (first_line > limits_.max_target_bytes + 32) return Reject(414);
    return Reject(431);
  }
  HeadInfo info;
  int status = ParseHeadStrict(std::string_view(buffer_).substr(0, head_size), limits_, info);
  if (status != 0) return Reject(status);
  buffer_.erase(0, head_size);
  keep_alive_ = info.keep_alive;
  ++pipelined_;
  if (pipelined_ > limits_.max_pipelined_requests) keep_alive_ = false;

  bool has_body = info.chunked || (info.content_length && *info.content_length > 0);
  std::size_t body_limit = limits_.max_body_bytes;
  if (has_body && app_ != nullptr) {
    const std::size_t route_limit = app_->BodyLimitFor(info.request->method(), info.request->path());
    if (route_limit > 0 && route_limit < body_limit) body_limit = route_limit;
    if (info.content_length && *info.content_length > body_limit) return Reject(413);
  }
  if (!has_body) {
    phase_ = Phase::kIdle;
    Outcome out;
    out.kind = Outcome::Kind::kRequest;
    out.request = std::move(info.request);
    return out;
  }
  // Frame the body with Beast behind a head we write ourselves.
  body_ = std::make_unique<BodyParser>();
  body_need_more_ = false;
  auto& parser = body_->parser;
  parser.eager(true);
  parser.header_limit(256);
  parser.body_limit(body_limit);
  std::string synthetic = "POST / HTTP/1.1\r\nHost: x\r\n";
  if (info.chunked) {
    synthetic += "Transfer-Encoding: chunked\r\n\r\n";
  } else {
    synthetic += "Content-Length: " + std::to_string(*info.content_length) + "\r\n\r\n";
  }
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(synthetic), ec);
  if (ec || !parser.is_header_done()) return Reject(500);
  pending_ = std::move(info.request);
  phase_ = Phase::kBody;
  Outcome out = ParseBody();
  if (out.kind == Outcome::Kind::kNeedMore && info.expect_continue) out.send_continue = true;
  return out;
}

Http1Connection::Outcome Http1Connection::ParseBody() {
  auto& parser = body_->parser;
  while (!parser.is_done() && !buffer_.empty()) {
    // Beast 1.81 asserts (parse_chunk_header: n >= 5) when, after the final
    // "0\r\n" chunk returned need_more, it is called again with fewer than
    // five unconsumed bytes (found by fuzz/http_request_fuzz.cc). After a
    // need_more it has consumed nothing, and any valid rest of a chunked
    // body from there is at least five bytes ("0\r\n\r\n"), so waiting for
    // five never stalls a valid request.
    if (body_need_more_ && buffer_.size() < 5) break;
    boost::system::error_code ec;
    std::size_t used = parser.put(boost::asio::buffer(buffer_), ec);
    buffer_.erase(0, used);
    body_need_more_ = ec == bhttp::error::need_more;
    if (ec == bhttp::error::need_more) break;
    if (ec == bhttp::error::body_limit) return Reject(413);
    if (ec) return Reject(400);
    if (used == 0) break;
  }
  if (!parser.is_done()) return {};
  Outcome out;
  out.kind = Outcome::Kind::kRequest;
  out.request = std::move(pending_);
  pending_.reset();
  out.request->SetBody(std::move(parser.release().body()));
  body_.reset();
  phase_ = Phase::kIdle;
  return out;
}

bool Http1Connection::Sendable(const Response& response) { return ResponseHeadersValid(response); }

void Http1Connection::Serialize(const Response& response, Method method, bool request_keep_alive,
                                bool& keep_alive, std::string& out) {
  if (!ResponseHeadersValid(response)) {
    // A handler put something unsendable into a header (CR/LF from input,
    // a bad name) or a bad status. Never send it; answer 500 generically.
    std::string id;
    if (auto rid = response.headers().Get("x-request-id"); rid && IsToken(*rid)) id = *rid;
    Response fallback = Response::Problem(500, id);
    if (!id.empty()) fallback.SetHeader("X-Request-Id", id);
    Serialize(fallback, method, false, keep_alive, out);
    return;
  }
  SerializeSendable(response, method, request_keep_alive, keep_alive, out);
}

void Http1Connection::SerializeSendable(const Response& response, Method method, bool request_keep_alive,
                                        bool& keep_alive, std::string& out) {
  keep_alive = request_keep_alive && !response.close();
  int status = response.status();
  const Headers& headers = response.headers();
  // The fields are kept in wire form: unless one is a field the server
  // writes itself (dropped here), they go out as one copy.
  const bool verbatim = !headers.has_server_owned_fields();
  out.clear();
  // Status line, Date, Content-Length, Connection and the blank line fit in 160 bytes.
  out.reserve(160 + headers.wire().size() + response.body().size());
  out += "HTTP/1.1 ";
  char num[24];
  auto [status_end, status_ec] = std::to_chars(num, num + sizeof(num), status);
  out.append(num, static_cast<std::size_t>(status_end - num));
  out += ' ';
  out += StatusReason(status);
  out += "\r\n";
  if (verbatim) {
    out += headers.wire();
  } else {
    for (Headers::Field f : headers.fields()) {
      if (IsServerOwnedField(f.name)) continue;
      out += f.name;
      out += ": ";
      out += f.value;
      out += "\r\n";
    }
  }
  out += "Date: ";
  out += HttpDate();
  out += "\r\n";
  bool no_body = StatusHasNoBody(status);
  if (!no_body) {
    out += "Content-Length: ";
    auto [length_end, length_ec] = std::to_chars(num, num + sizeof(num), response.body().size());
    out.append(num, static_cast<std::size_t>(length_end - num));
    out += "\r\n";
  }
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  if (!no_body && method != Method::kHead) out += response.body();
}

}  // namespace bulwark::http::internal
