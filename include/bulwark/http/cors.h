#pragma once
// Cors: cross-origin resource sharing with an exact origin allowlist.
//
// No wildcard, no reflected origins, no "null": an origin is allowed only if
// it is byte-for-byte in the list ("https://app.example" or with a port).
// Preflights (OPTIONS + Access-Control-Request-Method) from allowed origins
// for allowed methods and headers get 204 with Max-Age; any other preflight
// gets 403. Every response carries Vary: Origin, so caches never serve one
// origin's answer to another. With the default (empty list) no cross-origin
// reads are allowed; same-origin requests are unaffected.
//
// Thread-safety: immutable after Create.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/http/middleware.h"

namespace bulwark::http {

struct CorsOptions {
  std::vector<std::string> allowed_origins;
  bool allow_credentials = false;
  std::vector<Method> allowed_methods{Method::kGet, Method::kPost, Method::kPut, Method::kPatch,
                                      Method::kDelete};
  // Lower-case request header names a cross-origin request may send.
  std::vector<std::string> allowed_headers{"content-type", "authorization", "x-csrf-token"};
  std::vector<std::string> exposed_headers{"x-request-id"};
  std::chrono::seconds max_age{600};
};

class Cors final : public Middleware {
 public:
  // Errors: kInvalidArgument for "*", "null", an origin that is not
  // scheme://host[:port] (http or https, no path, no trailing slash), or a
  // bad header name.
  static Result<std::shared_ptr<const Cors>> Create(CorsOptions options = {});
  Response Handle(Request& request, const Next& next) const override;

 private:
  explicit Cors(CorsOptions o) : options_(std::move(o)) {}
  bool OriginAllowed(std::string_view origin) const;
  CorsOptions options_;
  std::string methods_value_, headers_value_, exposed_value_;
  HeaderBlock vary_origin_;  // Vary: Origin, on every non-preflight answer
};

// True if `origin` is a serialized origin: "http(s)://host[:port]", lower-case
// scheme and host, no path, query, userinfo or trailing slash.
bool IsSerializedOrigin(std::string_view origin) noexcept;

}  // namespace bulwark::http
