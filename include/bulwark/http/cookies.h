#pragma once
// Cookies: a Set-Cookie builder whose defaults are the strict ones, and a
// strict Cookie header parser.
//
//   Result<std::string> c = CookieBuilder("session", token).Build();
//   // "__Host-session=<token>; Path=/; Secure; HttpOnly; SameSite=Lax"
//   response.AddHeader("Set-Cookie", *c);
//
// Defaults: the __Host- prefix (the browser then guarantees Secure, Path=/
// and no Domain, so a sibling subdomain cannot overwrite it), Secure,
// HttpOnly, SameSite=Lax, Path=/, a session cookie (no Max-Age). Each
// weakening is a named call that takes a Reason.
//
// Thread-safety: CookieBuilder is a value type; the parser is thread-safe.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/http/middleware.h"

namespace bulwark::http {

enum class SameSite { kStrict, kLax, kNone };

class CookieBuilder {
 public:
  // `name` without prefix (a token); `value` of cookie-octets (base64url
  // tokens are fine). Checked by Build().
  CookieBuilder(std::string name, std::string value);

  CookieBuilder& SameSiteStrict() { same_site_ = SameSite::kStrict; return *this; }
  CookieBuilder& SameSiteLax() { same_site_ = SameSite::kLax; return *this; }
  // SameSite=None sends the cookie on cross-site requests (needs CSRF care).
  CookieBuilder& UnsafeSameSiteNone(Reason reason);
  CookieBuilder& MaxAge(std::chrono::seconds max_age);
  // Max-Age=0: tells the browser to delete the cookie.
  CookieBuilder& Expire();
  // Readable by JavaScript (no HttpOnly).
  CookieBuilder& UnsafeAllowScriptAccess(Reason reason);
  // __Secure- prefix instead of __Host-, with a Domain and/or Path.
  CookieBuilder& WithoutHostPrefix(Reason reason, std::string domain, std::string path = "/");
  // No Secure and no prefix: only for local development over plain HTTP.
  CookieBuilder& UnsafeInsecure(Reason reason);

  // The Set-Cookie header value. Errors: kInvalidArgument (bad name, value,
  // domain or path; SameSite=None without Secure; empty Reason).
  Result<std::string> Build() const;
  // The full name as sent ("__Host-session").
  std::string FullName() const;

 private:
  std::string name_, value_, domain_, path_ = "/";
  SameSite same_site_ = SameSite::kLax;
  std::optional<std::chrono::seconds> max_age_;
  bool http_only_ = true, secure_ = true, host_prefix_ = true;
  bool bad_reason_ = false;
};

struct CookieLimits {
  std::size_t max_header_bytes = 8192;
  std::size_t max_cookies = 64;
};

// Parses a Cookie header strictly (RFC 6265 4.2.1): "name=value" pairs
// separated by "; ", names are tokens, values cookie-octets (optionally in
// double quotes, which are removed). A repeated name is an error: with two
// "session" cookies (one planted by a sibling domain) there is no safe choice.
// Errors: kInvalidArgument, kResourceExhausted (limits).
Result<std::vector<std::pair<std::string, std::string>>> ParseCookieHeader(
    std::string_view header, const CookieLimits& limits = {});

// The value of cookie `name` in the request's Cookie header(s); nullopt if
// absent, or if the header is malformed or has `name` twice (fail closed).
std::optional<std::string> FindCookie(const Request& request, std::string_view name,
                                      const CookieLimits& limits = {});

}  // namespace bulwark::http
