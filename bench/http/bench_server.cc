// The server the HTTP benchmark (bench/http/run.sh) drives: one JSON route,
// either through SecureDefaults() ("secure") or with no middleware ("bare").
//
//   http_bench_server secure|bare PORT THREADS [CERT_PEM KEY_PEM]
//
// The access log goes to stdout (redirect it); the rate limiter is on with a
// limit high enough that the load generator is never throttled, so its cost
// is measured but it does not turn the run into a 429 benchmark.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <fstream>
#include <sstream>
#include <string>

#include "bench_app.h"
#include "bulwark/http/server.h"

namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bulwark::http;
  if (argc != 4 && argc != 6) {
    std::fprintf(stderr, "usage: %s secure|bare PORT THREADS [CERT KEY]\n", argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  std::unique_ptr<App> made = bench::MakeBenchApp(mode);
  if (!made) return 2;
  App& app = *made;
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = static_cast<std::uint16_t>(std::atoi(argv[2]));
  options.threads = static_cast<std::size_t>(std::atoi(argv[3]));
  options.handle_signals = true;
  if (argc == 6) {
    auto tls = std::make_shared<TlsOptions>();
    tls->certificate_chain_pem = ReadFile(argv[4]);
    tls->private_key_pem = bulwark::SecretString::Adopt(ReadFile(argv[5]));
    options.tls = tls;
  }
  auto server = Server::Create(std::move(options), app);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.error().ToString().c_str());
    return 1;
  }
  (*server)->Run();
  return 0;
}
