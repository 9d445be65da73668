#pragma once
// Test-only loopback servers for the net tests: an HTTP/HTTPS server with a
// scripted handler and a CONNECT proxy. They listen on 127.0.0.1 with an
// ephemeral port and never connect anywhere but 127.0.0.1.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bulwark::net::testing {

// A throwaway CA and a leaf certificate it signed, generated with OpenSSL.
struct TestPki {
  std::string ca_pem;         // the CA certificate (trust anchor)
  std::string leaf_cert_pem;  // SAN: localhost, api.test, 127.0.0.1, ::1
  std::string leaf_key_pem;
  std::string leaf_spki_sha256_base64;
  static TestPki Generate();
};

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case
  std::string body;
  bool HasHeader(const std::string& lower_name) const;
  std::string HeaderValue(const std::string& lower_name) const;
};

class TestHttpServer {
 public:
  // Returns the raw bytes to write back, or is asked to stream via `writer`.
  using Handler = std::function<std::string(const ReceivedRequest&)>;

  // `pki` null: plain HTTP; else HTTPS with the leaf certificate.
  explicit TestHttpServer(Handler handler, const TestPki* pki = nullptr);
  ~TestHttpServer();

  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }
  std::vector<ReceivedRequest> requests() const;
  // Delay before the response is written (interrupted by the destructor).
  void set_response_delay(std::chrono::milliseconds d) { delay_ms_ = d.count(); }
  // Write the response in small pieces with this pause between them.
  void set_trickle(std::chrono::milliseconds pause) { trickle_ms_ = pause.count(); }

  static std::string Respond(int status, const std::string& body,
                             const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  void Run();
  void Serve(int fd);
  bool SleepFor(long long ms);

  Handler handler_;
  void* ssl_ctx_ = nullptr;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<long long> delay_ms_{0};
  std::atomic<long long> trickle_ms_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

// An HTTP CONNECT proxy that tunnels only to 127.0.0.1.
class TestConnectProxy {
 public:
  TestConnectProxy();
  ~TestConnectProxy();
  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }
  // The CONNECT request heads it received (request line and headers).
  std::vector<std::string> heads() const;

 private:
  void Run();
  void Serve(int fd);
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

}  // namespace bulwark::net::testing
