// A deterministic per-request cost driver for the HTTP stack, meant to run
// under `valgrind --tool=callgrind` (bench/http/callgrind.sh): instruction
// counts are repeatable on a loaded machine where wall-clock numbers are not.
//
//   http_handle_driver secure|bare handle|raw|conn N
//
// `handle` pushes a typical JSON GET through App::Handle N times; `raw` feeds
// the same request as bytes through RawExchangeForTest (the socket path's
// protocol object: parse, ServeRequest, serialize) on keep-alive
// connections of 100 requests each. `conn` runs the socket server's own
// loop (server.cc) on the same protocol object without the socket: append
// the bytes read, parse, ServeRequest, drop the bytes as a write would.
// RawExchangeForTest also collects every response into one growing string
// (for tests to inspect), a cost the server does not have: `conn` leaves it
// out. `secure` is SecureDefaults() with the default access log
// (spdlog to stdout: redirect it); `bare` has no middleware. The rate limit
// is high enough never to answer 429.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench_app.h"
#include "bulwark/http/testing.h"
#include "exchange.h"
#include "http1.h"

int main(int argc, char** argv) {
  using namespace bulwark::http;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s secure|bare handle|raw|conn N\n", argv[0]);
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
  } else if (path == "conn") {
    const std::string one =
        "GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: wrk/4.1.0\r\n"
        "Accept: application/json\r\n\r\n";
    constexpr long kPerConnection = 100;
    using Kind = internal::Http1Connection::Outcome::Kind;
    const ServerLimits limits;
    const internal::PeerInfo peer{"127.0.0.1", 40000, false};
    for (long done = 0; done < n; done += kPerConnection) {
      internal::Http1Connection conn(limits, &app);
      internal::Served answer;  // one per connection, as in server.cc
      for (long i = 0; i < kPerConnection; ++i) {
        // As in server.cc: parse (nothing yet), read, parse, serve, write.
        if (conn.Parse().kind != Kind::kNeedMore) return 1;
        conn.Append(one);
        internal::Http1Connection::Outcome out = conn.Parse();
        if (out.kind != Kind::kRequest) return 1;
        bool keep_alive = false;
        internal::ServeRequest(app, limits, peer, std::move(*out.request),
                               conn.last_request_keep_alive(), true, nullptr, keep_alive, answer);
        if (!keep_alive) return 1;
        bytes += answer.bytes.size();
        answer.ReleaseLargeBuffer();
      }
    }
  } else {
    return 2;
  }
  std::fprintf(stderr, "%s %s: %ld requests, %zu bytes\n", mode.c_str(), path.c_str(), n, bytes);
  return 0;
}
