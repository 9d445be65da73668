#pragma once
// The application both HTTP benchmark programs serve, so the wrk run
// (bench_server.cc) and the instruction counts (handle_driver.cc) measure the
// same thing: one JSON GET route, through SecureDefaults() ("secure") or with
// no middleware ("bare"). The rate limit is high enough never to answer 429.

#include <memory>
#include <string_view>
#include <utility>

#include "bulwark/http/app.h"
#include "bulwark/http/secure_defaults.h"

namespace bulwark::http::bench {

// nullptr for an unknown mode or a chain that cannot be built.
inline std::unique_ptr<App> MakeBenchApp(std::string_view mode) {
  Router router;
  router.Get("/api/hello", [](Request&) {
    return Response::Json(200, R"({"message":"hello","ok":true})");
  });
  Chain chain;
  if (mode == "secure") {
    SecureDefaultsOptions o;
    o.rate_limit.policy.limit = 1'000'000'000;
    auto secure = SecureDefaults(std::move(o));
    if (!secure.ok()) return nullptr;
    chain = std::move(secure).value();
  } else if (mode != "bare") {
    return nullptr;
  }
  return std::make_unique<App>(std::move(router), std::move(chain));
}

}  // namespace bulwark::http::bench
