#pragma once
// Server: HTTP/1.1 over Boost.Beast/Asio, plain or TLS, serving an App.
//
// Design: one io_context per thread, each with its own acceptor on the same
// port (SO_REUSEPORT), so connections are spread by the kernel and a
// connection's I/O and handlers stay on one thread with no locking. Handlers
// run on that thread: a handler that blocks holds up the other connections of
// its thread, so keep slow work (password hashing, outbound calls) on a pool
// (bulwark/crypto/hashing_pool.h).
//
// Every limit has a safe default (ServerLimits). The server reads the request
// head itself and checks it strictly before Beast parses it: request-line
// shape, origin-form target, header syntax (no obs-fold, no bare CR or LF, no
// whitespace before ':'), one Host, Content-Length digits only and at most
// once, Transfer-Encoding only "chunked" and never with Content-Length.
// Failures get a generic problem+json 4xx and the connection is closed.
//
// Stop() (also on SIGINT/SIGTERM when handle_signals is set) stops
// accepting, closes idle keep-alive connections at once and lets requests
// in flight finish (their responses carry Connection: close), up to
// shutdown_timeout; then everything left is closed.
//
// Thread-safety: Create/Run on one thread; Stop() may be called from any
// thread (it only posts work to the I/O threads); not from a signal handler:
// use handle_signals for that. The App must outlive
// the Server.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/http/app.h"

namespace bulwark::http {

struct ServerLimits {
  std::size_t max_header_bytes = 16 * 1024;  // request line + fields; 431 beyond
  std::size_t max_header_count = 64;         // 431 beyond
  std::size_t max_target_bytes = 4096;       // 414 beyond
  std::size_t max_body_bytes = 1024 * 1024;  // 413 beyond (routes may lower it)
  std::size_t max_connections = 10000;       // further connections are closed at once
  // Connections open at once from one client address (an IPv6 client counts
  // as its /64, as in the rate limit); its further connections are closed
  // at once. Without it one client holding max_connections idle keep-alive
  // connections (each lives idle_timeout, and is renewed by one request a
  // minute) locks every other client out. 0: no per-address limit.
  std::size_t max_connections_per_address = 512;
  // Peers exempt from max_connections_per_address: a reverse proxy's
  // connections all come from its address. IP addresses or CIDRs
  // ("10.0.0.0/8", "::1/128"); Server::Create refuses unparsable ones.
  std::vector<std::string> unlimited_addresses;
  std::size_t max_requests_per_connection = 10000;
  // Requests already buffered behind the current one (pipelining); more than
  // this and the connection is closed after the current response.
  std::size_t max_pipelined_requests = 16;
  std::chrono::milliseconds header_timeout{10'000};   // first byte to end of head
  std::chrono::milliseconds body_timeout{30'000};     // whole body
  std::chrono::milliseconds idle_timeout{60'000};     // keep-alive wait for next request
  std::chrono::milliseconds write_timeout{30'000};    // sending one response
  // Handlers run inline on the connection's thread and cannot be preempted;
  // this sets RequestContext::deadline, and a response produced after it is
  // replaced by 503 and the connection closed (the work is logged as late).
  std::chrono::milliseconds handler_timeout{30'000};
  std::chrono::milliseconds shutdown_timeout{10'000};  // drain limit on Stop()
  // Upper bound for Response::set_delay (tarpitting refused attempts). A
  // delayed response keeps its connection (counted against max_connections)
  // open for at most this long; 0 turns delays off.
  std::chrono::milliseconds max_response_delay{2'000};
};

struct TlsOptions {
  // PEM certificate chain and private key. TLS 1.2 and 1.3 only, AEAD
  // ciphers with forward secrecy, server cipher preference, no
  // renegotiation, no compression, no session tickets, ALPN "http/1.1".
  std::string certificate_chain_pem;
  SecretString private_key_pem;
};

struct ServerOptions {
  std::string address = "127.0.0.1";  // bind address ("::" for all)
  std::uint16_t port = 8080;          // 0 = pick a free port (see Server::port())
  std::size_t threads = 1;            // io_contexts (one per thread); >= 1
  ServerLimits limits;
  // Plain HTTP unless set (plain mode is for running behind a TLS proxy).
  std::shared_ptr<TlsOptions> tls;
  bool handle_signals = false;  // Stop() on SIGINT/SIGTERM
};

class Server {
 public:
  // Binds and listens (so port() is known), but serves nothing until Run().
  // Errors: kInvalidArgument (bad options, bad certificate/key),
  // kUnavailable (cannot bind).
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, const App& app);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until Stop() has drained. Runs options.threads - 1 extra threads.
  void Run();
  // Begins a graceful shutdown; returns at once.
  void Stop() noexcept;

  std::uint16_t port() const noexcept;
  // Open connections right now (all threads).
  std::size_t connection_count() const noexcept;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::http
