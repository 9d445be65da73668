#pragma once
// Internal: turning one parsed request into response bytes, shared by the
// socket server and the in-memory path so both behave identically.

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

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

// The bytes of a rejection (the request never reached the App).
std::string RejectRequest(int status);

// A fresh request id: 128 random bits, base64url.
std::string NewRequestId();

// Maps "::ffff:1.2.3.4" to "1.2.3.4"; other addresses unchanged.
std::string NormalizeIp(std::string ip);

}  // namespace bulwark::http::internal
