#pragma once
// Internal: turning one parsed request into response bytes, shared by the
// socket server and the in-memory path so both behave identically.

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/http/app.h"
#include "bulwark/http/server.h"
#include "http1.h"

namespace bulwark::http::internal {

struct PeerInfo {
  std::string ip;
  std::uint16_t port = 0;
  bool tls = false;
};

// Runs `request` through `app` and serializes the answer into `served`
// (`request` is taken by reference to spare a move of a large object; it is
// consumed). `allow_keep_alive` is false when the connection must close after
// this response (per-connection request cap); `stopping` (may be null) is
// read after the handler, so a request in flight when shutdown begins is
// answered with Connection: close. Sets `keep_alive`.
struct Served {
  // Replaced by each ServeRequest; its capacity is kept, so a connection
  // that keeps one Served reuses one buffer for all its responses
  // (ReleaseLargeBuffer after a write keeps that bounded).
  std::string bytes;
  // How long to hold the bytes before writing them: the response's delay,
  // capped by ServerLimits::max_response_delay; 0 when stopping.
  std::chrono::milliseconds delay{0};
  // Frees `bytes` if it grew past what typical responses need (a large
  // body), so an idle keep-alive connection does not hold it.
  void ReleaseLargeBuffer() {
    if (bytes.capacity() > kKeptBytes) std::string().swap(bytes);
  }
  static constexpr std::size_t kKeptBytes = 16 * 1024;
};
void ServeRequest(const App& app, const ServerLimits& limits, const PeerInfo& peer,
                  Request&& request, bool request_keep_alive, bool allow_keep_alive,
                  const std::atomic<bool>* stopping, bool& keep_alive, Served& served);

// The bytes of a rejection (the request never reached the App): a
// ServerProblem with a fresh request id.
std::string RejectRequest(const App& app, int status, bool secure);

// Adds the security headers to a response the server writes itself (a
// rejection, a replaced handler answer): the App's SecurityHeaders, so they
// are configured as for every other response; if the App runs without it
// (removed with a Reason), the defaults minus HSTS, which the operator chose
// to leave to something else.
void AddServerHeaders(const App& app, bool secure, Response& response);

// A problem+json the server writes itself (status, request id), with the
// headers above, a `default-src 'none'` CSP and Cache-Control: no-store;
// closes the connection. Rejections, the 503 for a handler past its
// deadline and the 500 for an unsendable handler response all use it.
Response ServerProblem(const App& app, int status, std::string_view request_id, bool secure);

// A fresh request id: 128 random bits, base64url.
std::string NewRequestId();

// Maps "::ffff:1.2.3.4" to "1.2.3.4"; other addresses unchanged.
std::string NormalizeIp(std::string ip);

// An IP address or CIDR (builtin.cc, shared with ProxyHeaders' parsing).
bool IsNetwork(std::string_view cidr);
// Whether `ip` lies in one of `cidrs` (unparsable entries match nothing).
bool InNetworks(std::string_view ip, const std::vector<std::string>& cidrs);

}  // namespace bulwark::http::internal
