// Bytes in through the server's real HTTP/1.1 path (strict head checks, body
// framing, keep-alive, the SecureDefaults chain, the router, serialization)
// via the in-memory exchange. The first byte picks how the input is split
// into reads. Invariants: no crash, no hang, every response is a well-formed
// HTTP/1.1 status line, and nothing is answered after a close.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "bulwark/http/app.h"
#include "bulwark/http/secure_defaults.h"
#include "bulwark/http/testing.h"

namespace {

const bulwark::http::App& FuzzApp() {
  using namespace bulwark::http;
  static const App* app = [] {
    Router r;
    r.Get("/", [](Request&) { return Response::Text(200, "root"); });
    r.Get("/items/{id:int}", [](Request& q) { return Response::Json(200, std::to_string(q.PathInt("id"))); });
    r.Get("/files/{name}", [](Request& q) { return Response::Text(200, std::string(q.PathText("name"))); });
    r.Post("/items", [](Request& q) { return Response::Json(201, q.context().json_body ? "1" : "0"); },
           RouteOptions{.consumes = {"application/json"}});
    r.Put("/form", [](Request&) { return Response(204); },
          RouteOptions{.consumes = {"application/x-www-form-urlencoded"}});
    SecureDefaultsOptions o;
    o.access_log.sink = [](std::string_view) {};
    o.rate_limit.policy.limit = 1'000'000'000;
    o.cors.allowed_origins = {"https://a.example"};
    o.proxy.trusted_proxies = {"192.0.2.0/24"};
    auto chain = SecureDefaults(std::move(o));
    if (!chain.ok()) std::abort();
    return new App(std::move(r), std::move(chain).value());
  }();
  return *app;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  bulwark::http::RawExchangeOptions options;
  options.chunk_size = data[0] % 17;  // 0 = all at once
  options.limits.max_header_bytes = 4096;
  options.limits.max_body_bytes = 8192;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  bulwark::http::RawExchangeResult r = bulwark::http::RawExchangeForTest(FuzzApp(), input, options);
  if (r.responses > 0 && r.output.compare(0, 9, "HTTP/1.1 ") != 0) std::abort();
  return 0;
}
