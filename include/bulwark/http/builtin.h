#pragma once
// The built-in middleware that does not need keys or stores: request id,
// trusted proxies, security headers + CSP, errors, access log, request
// checks. Each has an Options struct with safe defaults and a validating
// Create(); all are immutable and thread-safe once created.
// SecureDefaults() (secure_defaults.h) installs all of them.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/http/middleware.h"
#include "bulwark/validate/json.h"

namespace bulwark::http {

// ---------------------------------------------------------------- RequestId
// Gives every request a 128-bit random id (base64url), stores it in
// RequestContext::request_id and echoes it in X-Request-Id.
struct RequestIdOptions {
  // Accept a client's X-Request-Id (only [A-Za-z0-9_-], 8..64 chars).
  // Off by default: ids from outside can collide on purpose in logs.
  bool trust_incoming = false;
};
class RequestId final : public Middleware {
 public:
  static Result<std::shared_ptr<const RequestId>> Create(RequestIdOptions options = {});
  Response Handle(Request& request, const Next& next) const override;

 private:
  explicit RequestId(RequestIdOptions o) : options_(o) {}
  RequestIdOptions options_;
  HeaderBlock id_field_;  // X-Request-Id, the id as its slot
};

// ------------------------------------------------------------- ProxyHeaders
// Resolves the real client address behind trusted reverse proxies. Only when
// the TCP peer is a trusted proxy are X-Forwarded-For (or, without it,
// Forwarded: for=) and X-Forwarded-Proto read; the list is walked from the
// right, skipping trusted hops, and the first untrusted hop is the client.
// Hops the client wrote itself (left of it) are ignored. An unparsable hop
// stops the walk: the last trusted address is used.
struct ProxyOptions {
  // CIDRs ("10.0.0.0/8", "::1/128") or single addresses. Empty: trust none,
  // client_ip is the TCP peer.
  std::vector<std::string> trusted_proxies;
};
class ProxyHeaders final : public Middleware {
 public:
  // Errors: kInvalidArgument for an unparsable CIDR.
  static Result<std::shared_ptr<const ProxyHeaders>> Create(ProxyOptions options = {});
  Response Handle(Request& request, const Next& next) const override;
  ~ProxyHeaders() override;

 private:
  struct Net;
  ProxyHeaders() = default;
  bool Trusted(std::string_view ip) const;
  std::vector<Net> nets_;
};

// Masks an IP address to a prefix: IPv4 to /prefix4, IPv6 to /prefix6
// ("2001:db8:1:2:3::4" /64 -> "2001:db8:1:2::/64"). nullopt if not an IP.
std::optional<std::string> IpPrefix(std::string_view ip, int prefix4, int prefix6);

// ---------------------------------------------------------- SecurityHeaders
struct CspOptions {
  bool enabled = true;
  // Report-Only: browsers report violations but do not block (for rolling
  // out a policy). Off by default.
  bool report_only = false;
  // Where browsers send reports; the middleware answers POSTs to it itself
  // (204, body bounded, logged escaped). Empty: no reporting.
  std::string report_path = "/csp-report";
  // Extra sources for the default directives, e.g. {"img-src", "https://cdn.example"}.
  // Values are checked: no ';', ',', quotes other than the CSP keywords, no CR/LF.
  std::vector<std::pair<std::string, std::string>> extra_sources;
};
struct HstsOptions {
  bool enabled = true;  // sent on secure requests only
  std::chrono::seconds max_age{31'536'000};
  bool include_subdomains = true;
  bool preload = false;  // opt-in: preload lists are hard to leave
};
struct SecurityHeadersOptions {
  CspOptions csp;
  HstsOptions hsts;
  std::string frame_options = "DENY";
  std::string referrer_policy = "no-referrer";
  std::string permissions_policy =
      "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
      "microphone=(), payment=(), usb=()";
  std::string cross_origin_opener_policy = "same-origin";
  std::string cross_origin_resource_policy = "same-origin";
  // Cache-Control: no-store unless the handler set Cache-Control itself on
  // an anonymous request; always no-store when a principal is set.
  bool no_store_by_default = true;
};
class SecurityHeaders final : public Middleware {
 public:
  // Errors: kInvalidArgument if a header value or CSP source is unsafe.
  static Result<std::shared_ptr<const SecurityHeaders>> Create(SecurityHeadersOptions options = {});
  Response Handle(Request& request, const Next& next) const override;
  // Adds the headers Handle() adds to a response the server writes itself,
  // without running the chain: a request refused while its head or body was
  // parsed (400, 413, 431, 501, ...), a handler answer replaced by 503. The
  // server calls this with the App's own SecurityHeaders, so those responses
  // carry the same headers, HSTS included when `secure` (the connection is
  // TLS), configured the same way. Treated as an anonymous request.
  // Thread-safe (const).
  void AddToServerResponse(Response& response, bool secure) const;
  // The policy for `nonce`, as sent (for tests and documentation).
  std::string PolicyFor(std::string_view nonce) const;

 private:
  explicit SecurityHeaders(SecurityHeadersOptions o) : options_(std::move(o)) {}
  Response HandleReport(Request& request) const;
  // Handle()'s work on the way out; `nonce` is the CSP nonce (empty if off).
  void AddHeaders(Response& response, bool hsts, bool authenticated, std::string_view nonce) const;
  SecurityHeadersOptions options_;
  std::string hsts_value_;
  std::string csp_prefix_, csp_suffix_;
  // Every field this middleware sends, checked and serialized once at
  // Create(); indexed by [HSTS sent (secure request)][Cache-Control: no-store
  // sent]. The CSP field's nonce is the block's slot.
  std::array<std::array<HeaderBlock, 2>, 2> blocks_;
  // Reports are logged at most kReportsPerSecond per second (a report
  // endpoint is an open door into the operator log).
  static constexpr int kReportsPerSecond = 20;
  mutable std::atomic<std::int64_t> report_second_{0};
  mutable std::atomic<int> reports_this_second_{0};
};

// ------------------------------------------------------------------- Errors
// Makes every error an RFC 9457 problem+json with a generic title and the
// request id: 5xx bodies are always replaced (the original is only counted
// in the operator log), empty 4xx bodies get a problem body, and an
// exception from below becomes a 500 whose text goes to the operator log.
struct ErrorsOptions {};
class Errors final : public Middleware {
 public:
  static Result<std::shared_ptr<const Errors>> Create(ErrorsOptions options = {});
  Response Handle(Request& request, const Next& next) const override;

 private:
  Errors() = default;
};

// ---------------------------------------------------------------- AccessLog
// One JSON line per request: time, request id, method, path, query with
// sensitive parameters redacted, route, status, bytes, duration, client ip,
// user agent (truncated). Header values such as Authorization, Cookie and
// Set-Cookie are never logged; every value is JSON-escaped, so control
// characters and quotes cannot forge log lines.
struct AccessLogOptions {
  // Receives each line (without newline); the view is valid only during the
  // call. Must be thread-safe. Default: stdout through a process-wide buffer
  // written out at 32 KiB, every 200 ms by a background thread, and at exit,
  // so a crash loses at most the last 200 ms of lines.
  std::function<void(std::string_view line)> sink;
  // Query parameters whose values are replaced by "[redacted]" (case-insensitive).
  std::vector<std::string> redact_query_params{
      "token", "access_token", "refresh_token", "id_token", "code", "password", "pass",
      "secret", "client_secret", "key", "api_key", "apikey", "signature", "sig", "session",
      "csrf_token", "auth", "jwt"};
};
class AccessLog final : public Middleware {
 public:
  static Result<std::shared_ptr<const AccessLog>> Create(AccessLogOptions options = {});
  Response Handle(Request& request, const Next& next) const override;
  // The redacted query (exposed for tests).
  std::string RedactQuery(std::string_view query) const;

 private:
  explicit AccessLog(AccessLogOptions o) : options_(std::move(o)) {}
  AccessLogOptions options_;
};

// ------------------------------------------------------------ RequestChecks
// Per-route request rules (RouteOptions): method allowlist (501), body size
// (413), Content-Type allowlist (415), Accept (406), and JSON bodies parsed
// by bulwark::validate::ParseJson with json_limits (depth, size, element
// count, duplicate keys, invalid UTF-8, integer range): a failure is a
// 400/413 problem with the parser's stable codes; on success the parsed
// document is in RequestContext::json_body, so handlers do not parse twice.
struct RequestChecksOptions {
  std::vector<Method> allowed_methods{Method::kGet,    Method::kHead,   Method::kPost,
                                      Method::kPut,    Method::kPatch,  Method::kDelete,
                                      Method::kOptions};
  std::size_t default_max_body_bytes = 1024 * 1024;
  validate::JsonLimits json_limits;
};
class RequestChecks final : public Middleware {
 public:
  static Result<std::shared_ptr<const RequestChecks>> Create(RequestChecksOptions options = {});
  Response Handle(Request& request, const Next& next) const override;

 private:
  explicit RequestChecks(RequestChecksOptions o) : options_(std::move(o)) {}
  RequestChecksOptions options_;
  bool allowed_[kMethodCount] = {};
};

// True if an Accept header value allows `media_type` (q=0 excludes; */* and
// type/* match). A missing header allows everything.
bool AcceptAllows(std::string_view accept, std::string_view media_type);

}  // namespace bulwark::http
