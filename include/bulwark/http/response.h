#pragma once
// Response: the project-owned response type handlers and middleware build.
// The server serializes it itself, after checking every header name is a
// token and every value is free of CR/LF/NUL; a response that fails that
// check is replaced by a generic 500, so header injection cannot split a
// response. The server adds Content-Length (or drops the body for HEAD, 204
// and 304), Date and Connection; handlers must not set those.
//
// Thread-safety: a value type. Ownership: owns its strings.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "bulwark/http/request.h"

namespace bulwark::http {

// The standard reason phrase ("Not Found"); "Unknown" for others. Also the
// generic problem title.
std::string_view StatusReason(int status) noexcept;

class Response {
 public:
  Response() = default;
  explicit Response(int status) : status_(status) {}

  // Common shapes. `json` must already be serialized JSON; nothing is
  // escaped here (build it with an encoder, never by concatenating input).
  static Response Json(int status, std::string json);
  static Response Text(int status, std::string text);
  // `html` must come from an escaping template (see bulwark/encode).
  static Response Html(int status, std::string html);
  // An RFC 9457 problem document: {"type":"about:blank","title":<generic
  // title for status>,"status":N,"request_id":...}. `detail` is optional,
  // program-owned text (never raw input, never exception text).
  static Response Problem(int status, std::string_view request_id,
                          std::string_view detail = {});

  int status() const noexcept { return status_; }
  void set_status(int status) noexcept { status_ = status; }

  const Headers& headers() const noexcept { return headers_; }
  Headers& headers() noexcept { return headers_; }
  void SetHeader(std::string_view name, std::string_view value) { headers_.Set(name, value); }
  void AddHeader(std::string_view name, std::string_view value) { headers_.Add(name, value); }

  const std::string& body() const noexcept { return body_; }
  std::string& mutable_body() noexcept { return body_; }
  void SetBody(std::string body, std::string_view content_type);

  // Ask the server to close the connection after this response.
  void set_close(bool close) noexcept { close_ = close; }
  bool close() const noexcept { return close_; }

  // Hold this response for `delay` before sending it: a tarpit for refused
  // attempts (login throttling, rate limiting). A client that keeps a
  // connection busy with refused requests then gets one answer per delay
  // instead of as many as the server can produce, so a flood costs the
  // server little CPU. The wait is a timer on the connection, never a
  // blocked thread; the server caps it at ServerLimits::max_response_delay
  // and skips it while shutting down. Default 0 (send at once).
  void set_delay(std::chrono::milliseconds delay) noexcept {
    delay_ = delay.count() > 0 ? delay : std::chrono::milliseconds(0);
  }
  std::chrono::milliseconds delay() const noexcept { return delay_; }

 private:
  int status_ = 200;
  Headers headers_;
  std::string body_;
  bool close_ = false;
  std::chrono::milliseconds delay_{0};
};

// Is `status` a problem worth a problem+json body (>= 400)?
inline bool IsErrorStatus(int status) noexcept { return status >= 400; }

}  // namespace bulwark::http
