// The socket side of the server: accept loops, TLS, timeouts, connection
// cap and graceful shutdown. All protocol decisions live in Http1Connection
// (http1.cc) and ServeRequest (exchange.cc); this file only moves bytes.
// Template-heavy and rarely changed: handlers never include it.
//
// g++ 12: never put a co_await inside ?: (it miscompiles); coroutines are
// started with a completion handler that logs, never a bare `detached`.

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cstring>

#include <atomic>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "bulwark/http/server.h"
#include "exchange.h"

// g++ 12 at -O1 and above reports -Wmismatched-new-delete for Asio's
// awaitable frames (allocated by awaitable_frame_base::operator new through
// Asio's recycling allocator and freed by its matching operator delete):
// a known false positive for coroutine frames. Silenced for this file only,
// which holds the coroutines and nothing else that allocates.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include "http1.h"
#include "operator_log.h"

namespace bulwark::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// What Stop() needs to reach one live connection, on its own thread.
struct SessionHandle {
  bool idle = false;  // waiting for the first byte of a request
  std::function<void()> close;
};

struct Worker {
  asio::io_context ioc{1};
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unordered_set<SessionHandle*> sessions;
  std::unique_ptr<asio::steady_timer> drain_timer;
  bool stopping = false;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const App* app = nullptr;
  std::unique_ptr<asio::ssl::context> ssl;
  std::vector<std::unique_ptr<Worker>> workers;
  std::unique_ptr<asio::signal_set> signals;
  std::atomic<std::size_t> connections{0};
  // Open connections per client key (see ConnectionKey), for
  // max_connections_per_address; entries are erased at zero.
  std::mutex per_address_mutex;
  std::unordered_map<std::string, std::size_t> per_address;
  std::atomic<bool> stop_requested{false};
  std::uint16_t port = 0;

  void StopOnWorker(Worker& w);
  void SessionEnded(Worker& w);
};

namespace {

template <class Stream>
tcp::socket& Socket(Stream& stream) {
  return beast::get_lowest_layer(stream).socket();
}

template <class Stream>
void SetDeadline(Stream& stream, Clock::time_point deadline) {
  beast::get_lowest_layer(stream).expires_at(deadline);
}

template <class Stream>
asio::awaitable<void> RunSession(Server::Impl& impl, Worker& worker, Stream stream,
                                 internal::PeerInfo peer) {
  const ServerLimits& limits = impl.options.limits;
  SessionHandle handle;
  handle.close = [&stream] { beast::get_lowest_layer(stream).close(); };
  worker.sessions.insert(&handle);
  struct Unregister {
    Server::Impl& impl;
    Worker& worker;
    SessionHandle* handle;
    ~Unregister() {
      worker.sessions.erase(handle);
      impl.SessionEnded(worker);
    }
  } unregister{impl, worker, &handle};

  constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  if constexpr (kTls) {
    SetDeadline(stream, Clock::now() + limits.header_timeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kAwait);
    if (ec) co_return;
  }

  internal::Http1Connection conn(limits, impl.app);
  std::unique_ptr<char[]> buffer(new char[16384]);
  // One response buffer per connection, reused (Served::ReleaseLargeBuffer).
  internal::Served answer;
  std::size_t served = 0;
  Clock::time_point phase_deadline{};
  internal::Http1Connection::Phase last_phase = internal::Http1Connection::Phase::kIdle;

  while (true) {
    internal::Http1Connection::Outcome out = conn.Parse();
    if (out.kind == internal::Http1Connection::Outcome::Kind::kNeedMore) {
      if (out.send_continue) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        SetDeadline(stream, Clock::now() + limits.write_timeout);
        auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(kContinue), kAwait);
        if (wec) co_return;
      }
      auto phase = conn.phase();
      if (phase == internal::Http1Connection::Phase::kIdle) {
        if (worker.stopping) co_return;
        // Before the first request a silent client gets the header timeout;
        // between requests the idle keep-alive timeout.
        if (served == 0) {
          SetDeadline(stream, Clock::now() + limits.header_timeout);
        } else {
          SetDeadline(stream, Clock::now() + limits.idle_timeout);
        }
        handle.idle = true;
      } else {
        // Head and body have a deadline for the whole phase, not per read,
        // so a client trickling one byte at a time (slowloris) is cut off.
        if (phase != last_phase) {
          if (phase == internal::Http1Connection::Phase::kHead) {
            phase_deadline = Clock::now() + limits.header_timeout;
          } else {
            phase_deadline = Clock::now() + limits.body_timeout;
          }
        }
        SetDeadline(stream, phase_deadline);
        handle.idle = false;
      }
      last_phase = phase;
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(buffer.get(), 16384), kAwait);
      handle.idle = false;
      if (ec) co_return;  // EOF, reset, timeout (the stream closed itself), shutdown
      if (last_phase == internal::Http1Connection::Phase::kIdle) {
        phase_deadline = Clock::now() + limits.header_timeout;
        last_phase = internal::Http1Connection::Phase::kHead;
      }
      conn.Append(std::string_view(buffer.get(), n));
      continue;
    }

    bool keep_alive = false;
    if (out.kind == internal::Http1Connection::Outcome::Kind::kReject) {
      answer.bytes = internal::RejectRequest(*impl.app, out.status, peer.tls);
      answer.delay = std::chrono::milliseconds(0);
    } else {
      ++served;
      bool allow = !worker.stopping && served < limits.max_requests_per_connection;
      internal::ServeRequest(*impl.app, limits, peer, std::move(*out.request),
                             conn.last_request_keep_alive(), allow, &impl.stop_requested,
                             keep_alive, answer);
    }
    if (answer.delay.count() > 0 && !worker.stopping) {
      // Tarpit (Response::set_delay): wait on a timer, not on the thread.
      // Shutdown closes the socket (SessionHandle::close), and the write
      // below then fails at once; the wait itself is capped by
      // max_response_delay, well inside the drain limit.
      asio::steady_timer hold(worker.ioc, answer.delay);
      auto [tec] = co_await hold.async_wait(kAwait);
      (void)tec;
      if (worker.stopping) keep_alive = false;
    }
    const std::string& bytes = answer.bytes;
    SetDeadline(stream, Clock::now() + limits.write_timeout);
    auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(bytes), kAwait);
    if (wec) co_return;
    answer.ReleaseLargeBuffer();
    if (!keep_alive) break;
    last_phase = internal::Http1Connection::Phase::kIdle;
  }

  // Orderly close: TLS close_notify (bounded), then FIN after our last byte.
  if constexpr (kTls) {
    SetDeadline(stream, Clock::now() + std::chrono::milliseconds(500));
    auto [sec] = co_await stream.async_shutdown(kAwait);
    (void)sec;
  }
  boost::system::error_code ignored;
  Socket(stream).shutdown(tcp::socket::shutdown_send, ignored);
  beast::get_lowest_layer(stream).close();
}

void LogIfThrew(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    internal::LogError("connection ended by exception", {}, ex.what());
  } catch (...) {
    internal::LogError("connection ended by unknown exception");
  }
}

// The key a connection counts under for max_connections_per_address: the
// IPv4 address (also when IPv4-mapped), or an IPv6 address's /64.
std::string ConnectionKey(const asio::ip::address& address) {
  if (address.is_v6()) {
    const asio::ip::address_v6 v6 = address.to_v6();
    if (!v6.is_v4_mapped()) {
      const asio::ip::address_v6::bytes_type b = v6.to_bytes();
      return std::string("6") + std::string(reinterpret_cast<const char*>(b.data()), 8);
    }
    const asio::ip::address_v4::bytes_type b = asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_bytes();
    return std::string("4") + std::string(reinterpret_cast<const char*>(b.data()), b.size());
  }
  const asio::ip::address_v4::bytes_type b = address.to_v4().to_bytes();
  return std::string("4") + std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

// Counts a new connection from `key`; false (nothing counted) when the
// address already holds its share and is not exempt.
bool AdmitFromAddress(Server::Impl& impl, const std::string& key, std::string_view ip) {
  const ServerLimits& limits = impl.options.limits;
  std::lock_guard<std::mutex> lock(impl.per_address_mutex);
  std::size_t& open = impl.per_address[key];
  if (open >= limits.max_connections_per_address && !internal::InNetworks(ip, limits.unlimited_addresses)) {
    if (open == 0) impl.per_address.erase(key);
    return false;
  }
  ++open;
  return true;
}

void LeaveFromAddress(Server::Impl& impl, const std::string& key) {
  std::lock_guard<std::mutex> lock(impl.per_address_mutex);
  auto it = impl.per_address.find(key);
  if (it != impl.per_address.end() && --it->second == 0) impl.per_address.erase(it);
}

asio::awaitable<void> AcceptLoop(Server::Impl& impl, Worker& worker) {
  while (true) {
    auto [ec, socket] = co_await worker.acceptor->async_accept(kAwait);
    if (ec) {
      if (ec == asio::error::operation_aborted || !worker.acceptor->is_open()) co_return;
      // Out of descriptors and the like: back off briefly instead of spinning.
      internal::LogWarning("accept failed", ec.message());
      asio::steady_timer pause(worker.ioc, std::chrono::milliseconds(50));
      auto [tec] = co_await pause.async_wait(kAwait);
      (void)tec;
      continue;
    }
    if (impl.connections.fetch_add(1) >= impl.options.limits.max_connections) {
      impl.connections.fetch_sub(1);
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    boost::system::error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    internal::PeerInfo peer;
    auto remote = socket.remote_endpoint(opt_ec);
    if (!opt_ec) {
      peer.ip = internal::NormalizeIp(remote.address().to_string());
      peer.port = remote.port();
    }
    std::string key;
    if (impl.options.limits.max_connections_per_address > 0 && !opt_ec) {
      key = ConnectionKey(remote.address());
      if (!AdmitFromAddress(impl, key, peer.ip)) {
        impl.connections.fetch_sub(1);
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
    }
    auto done = [&impl, key](std::exception_ptr e) {
      LogIfThrew(e);
      if (!key.empty()) LeaveFromAddress(impl, key);
      impl.connections.fetch_sub(1);
    };
    if (impl.ssl) {
      peer.tls = true;
      beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *impl.ssl);
      asio::co_spawn(worker.ioc, RunSession(impl, worker, std::move(stream), std::move(peer)),
                     done);
    } else {
      beast::tcp_stream stream(std::move(socket));
      asio::co_spawn(worker.ioc, RunSession(impl, worker, std::move(stream), std::move(peer)),
                     done);
    }
  }
}

int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in,
               unsigned int in_len, void*) {
  // Only HTTP/1.1 is spoken; a client that offers ALPN without it is refused.
  unsigned int i = 0;
  while (i < in_len) {
    unsigned int len = in[i];
    if (i + 1 + len > in_len) break;
    if (len == 8 && std::memcmp(in + i + 1, "http/1.1", 8) == 0) {
      *out = in + i + 1;
      *out_len = 8;
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

Result<std::unique_ptr<asio::ssl::context>> MakeTlsContext(const TlsOptions& tls) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* raw = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION) != 1) {
    return Error(ErrorCode::kInternal, "cannot set TLS minimum version");
  }
  SSL_CTX_set_options(raw, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                               SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
                               SSL_OP_SINGLE_ECDH_USE);
  // TLS 1.2: ECDHE with AEAD only. TLS 1.3 suites are all AEAD.
  if (SSL_CTX_set_cipher_list(raw,
                              "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                              "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                              "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305") != 1 ||
      SSL_CTX_set_ciphersuites(raw,
                               "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
                               "TLS_CHACHA20_POLY1305_SHA256") != 1) {
    return Error(ErrorCode::kInternal, "cannot set TLS cipher suites");
  }
  SSL_CTX_set_alpn_select_cb(raw, SelectAlpn, nullptr);
  boost::system::error_code ec;
  ctx->use_certificate_chain(asio::buffer(tls.certificate_chain_pem), ec);
  if (ec) return Error(ErrorCode::kInvalidArgument, "TLS certificate chain is not valid PEM");
  const std::string& key = tls.private_key_pem.Reveal(InsecureSecretAccess());
  ctx->use_private_key(asio::buffer(key), asio::ssl::context::pem, ec);
  if (ec) return Error(ErrorCode::kInvalidArgument, "TLS private key is not valid PEM");
  if (SSL_CTX_check_private_key(raw) != 1) {
    return Error(ErrorCode::kInvalidArgument, "TLS private key does not match the certificate");
  }
  return ctx;
}

}  // namespace

void Server::Impl::SessionEnded(Worker& w) {
  if (w.stopping && w.sessions.empty() && w.drain_timer) w.drain_timer->cancel();
}

void Server::Impl::StopOnWorker(Worker& w) {
  if (w.stopping) return;
  w.stopping = true;
  boost::system::error_code ignored;
  if (w.acceptor) w.acceptor->close(ignored);
  // Idle keep-alive connections close now; the rest finish their request
  // (its response says Connection: close) within shutdown_timeout.
  std::vector<SessionHandle*> idle;
  for (SessionHandle* s : w.sessions) {
    if (s->idle) idle.push_back(s);
  }
  for (SessionHandle* s : idle) s->close();
  if (w.sessions.empty()) return;
  w.drain_timer = std::make_unique<asio::steady_timer>(w.ioc, options.limits.shutdown_timeout);
  w.drain_timer->async_wait([&w](boost::system::error_code ec) {
    if (ec) return;  // cancelled: everything drained
    std::vector<SessionHandle*> left(w.sessions.begin(), w.sessions.end());
    if (!left.empty()) internal::LogWarning("shutdown timeout: closing connections still busy");
    for (SessionHandle* s : left) s->close();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() {
  Stop();
}

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, const App& app) {
  if (options.threads == 0 || options.threads > 256) {
    return Error(ErrorCode::kInvalidArgument, "threads must be between 1 and 256");
  }
  const ServerLimits& l = options.limits;
  if (l.max_header_bytes < 256 || l.max_header_count == 0 || l.max_target_bytes < 16 ||
      l.max_target_bytes > l.max_header_bytes || l.max_connections == 0 ||
      l.max_requests_per_connection == 0) {
    return Error(ErrorCode::kInvalidArgument, "server limits out of range");
  }
  for (const std::string& cidr : l.unlimited_addresses) {
    if (!internal::IsNetwork(cidr)) {
      return Error(ErrorCode::kInvalidArgument, "unlimited_addresses: not an IP address or CIDR");
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->app = &app;
  if (options.tls) {
    try {
      Result<std::unique_ptr<asio::ssl::context>> ctx = MakeTlsContext(*options.tls);
      if (!ctx.ok()) return std::move(ctx).error();
      impl->ssl = std::move(ctx).value();
    } catch (const std::exception& e) {
      internal::LogError("TLS setup failed", {}, e.what());
      return Error(ErrorCode::kInvalidArgument, "TLS setup failed");
    }
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options.address, ec);
  if (ec) return Error(ErrorCode::kInvalidArgument, "bind address is not an IP address");
  std::uint16_t port = options.port;
  for (std::size_t i = 0; i < options.threads; ++i) {
    auto w = std::make_unique<Worker>();
    w->acceptor = std::make_unique<tcp::acceptor>(w->ioc);
    tcp::endpoint endpoint(address, port);
    w->acceptor->open(endpoint.protocol(), ec);
    if (!ec) w->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) {
      // One acceptor per thread on the same port: the kernel spreads
      // connections across them.
      int one = 1;
      if (::setsockopt(w->acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one,
                       sizeof(one)) != 0) {
        return Error(ErrorCode::kUnavailable, "cannot set SO_REUSEPORT");
      }
    }
    if (!ec) w->acceptor->bind(endpoint, ec);
    if (!ec) w->acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Error(ErrorCode::kUnavailable, "cannot listen on the requested address/port");
    if (i == 0) port = w->acceptor->local_endpoint().port();
    impl->workers.push_back(std::move(w));
  }
  impl->port = port;
  if (options.handle_signals) {
    impl->signals = std::make_unique<asio::signal_set>(impl->workers[0]->ioc, SIGINT, SIGTERM);
  }
  impl->options = std::move(options);
  for (const auto& d : app.chain().disabled()) (void)d;  // logged by App
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

void Server::Run() {
  Impl& impl = *impl_;
  for (auto& w : impl.workers) {
    Worker& worker = *w;
    asio::co_spawn(worker.ioc, AcceptLoop(impl, worker), [](std::exception_ptr e) { LogIfThrew(e); });
  }
  if (impl.signals) {
    impl.signals->async_wait([this](boost::system::error_code ec, int) {
      if (!ec) {
        internal::LogInfo("signal received: draining and stopping");
        Stop();
      }
    });
  }
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl.workers.size(); ++i) {
    threads.emplace_back([&impl, i] { impl.workers[i]->ioc.run(); });
  }
  impl.workers[0]->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Stop() noexcept {
  Impl& impl = *impl_;
  if (impl.stop_requested.exchange(true)) return;
  for (auto& w : impl.workers) {
    Worker* worker = w.get();
    asio::post(worker->ioc, [&impl, worker] { impl.StopOnWorker(*worker); });
  }
  if (impl.signals) {
    asio::post(impl.workers[0]->ioc, [&impl] {
      boost::system::error_code ignored;
      impl.signals->cancel(ignored);
    });
  }
}

std::uint16_t Server::port() const noexcept { return impl_->port; }
std::size_t Server::connection_count() const noexcept { return impl_->connections.load(); }

}  // namespace bulwark::http
