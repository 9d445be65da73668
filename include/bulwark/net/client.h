#pragma once
// net::Client: an outbound HTTP(S) client (libcurl) that enforces a
// DestinationPolicy against server-side request forgery.
//
// What a Send() does, in order:
//   1. Parses the URL into its canonical form and checks scheme, host and
//      port against the policy.
//   2. Resolves the host through the Resolver and refuses the request if ANY
//      answer is not allowed (multi-answer tricks), then pins the connection
//      to exactly the vetted answers (libcurl does no DNS of its own).
//   3. Vets the address of every socket before it connects (libcurl's
//      open-socket callback) and again after connecting, before the request
//      is written. A DNS-rebinding answer or any other path to a refused
//      address fails here, before a packet is sent to it.
//   4. Sends the request with TLS verification always on (system store or a
//      custom CA bundle; optional SPKI pins), protocols restricted to the
//      policy's schemes, no environment proxy, no netrc, no cookies, and
//      connect/total timeouts.
//   5. Reads the response within header and body size caps.
//   6. Redirects are not followed unless max_redirects > 0; each hop is then
//      a full new check (steps 1-5), https -> http downgrades are refused,
//      and sensitive headers are dropped when the origin changes.
//
// With a proxy, the proxy is operator configuration and trusted: the client
// still resolves and vets the destination itself and asks the proxy to
// CONNECT to that vetted IP address (a tunnel, so the proxy sees no request
// headers; custom headers go only to the destination).
//
// HMAC signing of webhook bodies and the like is the caller's job: put the
// signature in Request::headers.
//
// Thread-safety: a Client is immutable after Create() and Send() may be
// called concurrently from many threads (each call has its own connection).
// OverrideConnectAddressesForTest() must not race with Send().

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/net/address.h"
#include "bulwark/net/policy.h"

namespace bulwark::net {

// Resolves host names to addresses. Implementations must be thread-safe.
class Resolver {
 public:
  virtual ~Resolver() = default;
  // All addresses of `host` (a canonical host name, never an IP literal).
  // Errors: kNotFound (no such name), kUnavailable (resolver failure).
  virtual Result<std::vector<IpAddress>> Resolve(const std::string& host) const = 0;
};

// getaddrinfo(3), bounded by WithTimeout(5 s, 64 lookups in flight): a
// slow or unreachable DNS server cannot hold a caller (a webhook worker) for
// resolv.conf's timeout x attempts.
std::shared_ptr<const Resolver> SystemResolver();

// Wraps `inner` so that Resolve returns kUnavailable after `timeout` even if
// `inner` is still blocked. The lookup runs on its own detached thread and
// finishes (or not) without the caller; at most `max_in_flight` such threads
// exist at once (beyond that: kUnavailable at once), so a DNS outage cannot
// pile up threads. REQUIRES: timeout > 0, max_in_flight >= 1.
std::shared_ptr<const Resolver> WithTimeout(std::shared_ptr<const Resolver> inner,
                                            std::chrono::milliseconds timeout,
                                            std::size_t max_in_flight = 64);

// A resolver with a fixed table, for tests and for pinning known services.
class StaticResolver final : public Resolver {
 public:
  explicit StaticResolver(std::map<std::string, std::vector<IpAddress>> table)
      : table_(std::move(table)) {}
  Result<std::vector<IpAddress>> Resolve(const std::string& host) const override;

 private:
  std::map<std::string, std::vector<IpAddress>> table_;
};

enum class Method : std::uint8_t { kGet, kHead, kPost, kPut, kPatch, kDelete };

struct Header {
  std::string name;
  std::string value;
  friend bool operator==(const Header&, const Header&) = default;
};

struct Request {
  Method method = Method::kGet;
  std::string url;
  // Names must be RFC 9110 tokens and values free of CR, LF and NUL. Host,
  // Content-Length, Transfer-Encoding, Connection, Expect, TE, Upgrade and
  // Proxy-* headers are refused: the client sets what it needs.
  std::vector<Header> headers;
  std::string body;
};

struct Response {
  int status = 0;
  // Headers of the final response, names in lower case, in order.
  std::vector<Header> headers;
  std::string body;
  std::string url;             // canonical URL of the final hop
  std::string remote_address;  // the address actually connected to
  int redirects = 0;           // redirect hops followed

  // The first header named `name` (case-insensitive), if any.
  std::optional<std::string_view> FindHeader(std::string_view name) const;
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  // For the whole Send(), all redirect hops included.
  std::chrono::milliseconds total_timeout{30000};
  std::size_t max_response_body_bytes = std::size_t{1} << 20;   // 1 MiB
  std::size_t max_response_header_bytes = std::size_t{32} << 10;  // 32 KiB
  std::size_t max_request_body_bytes = std::size_t{8} << 20;    // 8 MiB
  // 0: a 3xx response is returned as it is. At most 10.
  int max_redirects = 0;
  // Trust anchors, PEM: a file, or the PEM text itself (wins over the file).
  // Both empty: the system store. Verification cannot be turned off.
  std::string ca_bundle_file;
  std::string ca_bundle_pem;
  // Optional SPKI pins: base64 SHA-256 of the server key's
  // SubjectPublicKeyInfo (as in HPKP / curl's "sha256//"). When set, a
  // server whose key matches none of them is refused.
  std::vector<std::string> pinned_spki_sha256;
  // "http://proxy.internal:3128" or empty for direct connections. The
  // environment (http_proxy, https_proxy, no_proxy) is always ignored.
  std::string proxy_url;
  // Dropped when a redirect leaves the origin; lower-case names. Authorization,
  // Cookie and Proxy-Authorization are always included.
  std::vector<std::string> sensitive_headers;
  std::string user_agent = "bulwark-net/0.1";
};

// Errors of Send(): kInvalidArgument (malformed URL or request),
// kPermissionDenied (the policy refused the destination, a redirect hop or
// the connected address), kNotFound (the name does not resolve),
// kDeadlineExceeded (a timeout), kResourceExhausted (a size cap),
// kUnavailable (connection or TLS failure, including a pin mismatch).
class Client {
 public:
  // Errors: kInvalidArgument for bad options (timeouts <= 0, caps of 0,
  // max_redirects outside 0..10, malformed proxy URL or pins).
  static Result<Client> Create(DestinationPolicy policy, ClientOptions options = {},
                               std::shared_ptr<const Resolver> resolver = SystemResolver());

  Result<Response> Send(const Request& request) const;

  const DestinationPolicy& policy() const noexcept { return *policy_; }

  // Test hook, simulating DNS rebinding: after `host` has been resolved and
  // its answers vetted, the connection is made to `addresses` instead (as if
  // the name had changed between the check and the connect). Only the
  // connect-time check stands between the request and those addresses.
  void OverrideConnectAddressesForTest(std::string host, std::vector<IpAddress> addresses);

 private:
  struct Impl;
  explicit Client(std::shared_ptr<Impl> impl, std::shared_ptr<const DestinationPolicy> policy)
      : impl_(std::move(impl)), policy_(std::move(policy)) {}
  std::shared_ptr<Impl> impl_;
  std::shared_ptr<const DestinationPolicy> policy_;
};

}  // namespace bulwark::net
