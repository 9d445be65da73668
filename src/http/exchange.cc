#include "exchange.h"

#include <algorithm>
#include <chrono>

#include "bulwark/crypto/random.h"
#include "bulwark/http/router.h"
#include "operator_log.h"
#include "util.h"

namespace bulwark::http::internal {

std::string NewRequestId() { return RandomToken128(); }

std::string NormalizeIp(std::string ip) {
  constexpr std::string_view kMapped = "::ffff:";
  if (ip.size() > kMapped.size() && std::string_view(ip).substr(0, kMapped.size()) == kMapped &&
      ip.find('.') != std::string::npos) {
    return ip.substr(kMapped.size());
  }
  return ip;
}

void ServeRequest(const App& app, const ServerLimits& limits, const PeerInfo& peer,
                  Request&& request, bool request_keep_alive, bool allow_keep_alive,
                  const std::atomic<bool>* stopping, bool& keep_alive, Served& served) {
  RequestContext& ctx = request.context();
  ctx.peer_ip = peer.ip;
  ctx.peer_port = peer.port;
  ctx.client_ip = peer.ip;
  ctx.secure = peer.tls;
  ctx.start = std::chrono::steady_clock::now();
  ctx.deadline = ctx.start + limits.handler_timeout;
  Method method = request.method();
  Response response = app.Handle(request);
  if (std::chrono::steady_clock::now() > ctx.deadline) {
    // The handler overran its time. Its answer may be stale or partial;
    // refuse it and close, so the client retries elsewhere.
    LogError("handler exceeded handler_timeout; answered 503", ctx.request_id,
             ctx.route != nullptr ? std::string_view(ctx.route->pattern) : std::string_view());
    response = Response::Problem(503, ctx.request_id);
    if (!ctx.request_id.empty()) response.SetHeader("X-Request-Id", ctx.request_id);
    response.SetHeader("Cache-Control", "no-store");
    response.set_close(true);
  }
  served.delay = std::chrono::milliseconds(0);
  if (stopping != nullptr && stopping->load(std::memory_order_relaxed)) {
    allow_keep_alive = false;
  } else {
    served.delay = std::min(response.delay(), limits.max_response_delay);
  }
  Http1Connection::Serialize(response, method, request_keep_alive && allow_keep_alive, keep_alive,
                             served.bytes);
}

std::string RejectRequest(int status) {
  return Http1Connection::SerializeRejection(status, NewRequestId());
}

}  // namespace bulwark::http::internal
