// A deterministic per-request cost driver for the HTTP stack, meant to run
// under `valgrind --tool=callgrind` (bench/http/callgrind.sh): instruction
// counts are repeatable on a loaded machine where wall-clock numbers are not.
//
//   http_handle_driver secure|bare handle|raw N
//
// `handle` pushes a typical JSON GET through App::Handle N times; `raw` feeds
// the same request as bytes through the socket path's protocol object
// (parse, ServeRequest, serialize) on keep-alive connections of 100
// requests each. `secure` is SecureDefaults() with the default access log
// (spdlog to stdout: redirect it); `bare` has no middleware. The rate limit
// is high enough never to answer 429.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench_app.h"
#include "bulwark/http/testing.h"

int main(int argc, char** argv) {
  using namespace bulwark::http;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s secure|bare handle|raw N\n", argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  std::string path = argv[2];
  long n = std::atol(argv[3]);
  std::unique_ptr<App> made = bench::MakeBenchApp(mode);
  if (!made) return 2;
  App& app = *made;
  std::size_t bytes = 0;
  if (path == "handle") {
    for (long i = 0; i < n; ++i) {
      Request req = *Request::Create(Method::kGet, "/api/hello");
      Headers& h = req.mutable_headers();
      h.Add("Host", "127.0.0.1:8080");
      h.Add("User-Agent", "wrk/4.1.0");
      h.Add("Accept", "application/json");
      req.context().peer_ip = "127.0.0.1";
      req.context().client_ip = "127.0.0.1";
      Response res = app.Handle(req);
      if (res.status() != 200) return 1;
      bytes += res.body().size();
    }
  } else if (path == "raw") {
    const std::string one =
        "GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: wrk/4.1.0\r\n"
        "Accept: application/json\r\n\r\n";
    constexpr long kPerConnection = 100;
    std::string batch;
    for (long i = 0; i < kPerConnection; ++i) batch += one;
    RawExchangeOptions options;
    options.peer_ip = "127.0.0.1";
    options.chunk_size = one.size();  // one read per request, as over a socket
    for (long done = 0; done < n; done += kPerConnection) {
      RawExchangeResult r = RawExchangeForTest(app, batch, options);
      if (r.responses != static_cast<std::size_t>(kPerConnection)) return 1;
      bytes += r.output.size();
    }
  } else {
    return 2;
  }
  std::fprintf(stderr, "%s %s: %ld requests, %zu bytes\n", mode.c_str(), path.c_str(), n, bytes);
  return 0;
}
