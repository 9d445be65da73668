#include "src/net/testing/test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace bulwark::net::testing {
namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "test server: %s failed\n", what);
    std::abort();
  }
}

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Require(ext != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

X509* MakeCert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, long serial,
               bool ca) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert;
  X509_set_issuer_name(cert, X509_get_subject_name(signer));
  AddExt(cert, signer, NID_subject_key_identifier, "hash");
  if (ca) {
    AddExt(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
    AddExt(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExt(cert, signer, NID_basic_constraints, "critical,CA:FALSE");
    AddExt(cert, signer, NID_key_usage, "critical,digitalSignature");
    AddExt(cert, signer, NID_ext_key_usage, "serverAuth");
    AddExt(cert, signer, NID_authority_key_identifier, "keyid:always");
    AddExt(cert, signer, NID_subject_alt_name,
           "DNS:localhost,DNS:api.test,IP:127.0.0.1,IP:::1");
  }
  Require(X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

int ListenLoopback(std::uint16_t& port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  Require(fd >= 0, "socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  Require(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0, "bind");
  Require(listen(fd, 16) == 0, "listen");
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

// Waits for a connection or the stop pipe; -1 when stopping.
int AcceptOrStop(int listen_fd, int stop_fd) {
  pollfd fds[2] = {{listen_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
  while (true) {
    int rc = poll(fds, 2, -1);
    if (rc < 0) continue;
    if (fds[1].revents != 0) return -1;
    if (fds[0].revents & POLLIN) {
      int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        timeval tv{2, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        return fd;
      }
    }
  }
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace

TestPki TestPki::Generate() {
  TestPki pki;
  EVP_PKEY* ca_key = EVP_EC_gen("P-256");
  EVP_PKEY* leaf_key = EVP_EC_gen("P-256");
  Require(ca_key != nullptr && leaf_key != nullptr, "EVP_EC_gen");
  X509* ca = MakeCert(ca_key, "bulwark test CA", nullptr, nullptr, 1, true);
  X509* leaf = MakeCert(leaf_key, "localhost", ca, ca_key, 2, false);

  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, ca);
  pki.ca_pem = BioToString(bio);
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, leaf);
  pki.leaf_cert_pem = BioToString(bio);
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, leaf_key, nullptr, nullptr, 0, nullptr, nullptr);
  pki.leaf_key_pem = BioToString(bio);
  BIO_free(bio);

  unsigned char* der = nullptr;
  int der_len = i2d_PUBKEY(leaf_key, &der);
  Require(der_len > 0, "i2d_PUBKEY");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<std::size_t>(der_len), digest);
  OPENSSL_free(der);
  unsigned char b64[64] = {};
  int b64_len = EVP_EncodeBlock(b64, digest, SHA256_DIGEST_LENGTH);
  pki.leaf_spki_sha256_base64.assign(reinterpret_cast<char*>(b64), static_cast<std::size_t>(b64_len));

  X509_free(leaf);
  X509_free(ca);
  EVP_PKEY_free(leaf_key);
  EVP_PKEY_free(ca_key);
  return pki;
}

bool ReceivedRequest::HasHeader(const std::string& lower_name) const {
  for (const auto& h : headers) {
    if (h.first == lower_name) return true;
  }
  return false;
}

std::string ReceivedRequest::HeaderValue(const std::string& lower_name) const {
  for (const auto& h : headers) {
    if (h.first == lower_name) return h.second;
  }
  return "";
}

std::string TestHttpServer::Respond(int status, const std::string& body,
                                    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
  bool has_length = false;
  for (const auto& [name, value] : headers) {
    out += name + ": " + value + "\r\n";
    if (Lower(name) == "content-length") has_length = true;
  }
  if (!has_length) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Connection: close\r\n\r\n";
  out += body;
  return out;
}

TestHttpServer::TestHttpServer(Handler handler, const TestPki* pki) : handler_(std::move(handler)) {
  signal(SIGPIPE, SIG_IGN);
  if (pki != nullptr) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    Require(ctx != nullptr, "SSL_CTX_new");
    BIO* bio = BIO_new_mem_buf(pki->leaf_cert_pem.data(), static_cast<int>(pki->leaf_cert_pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    bio = BIO_new_mem_buf(pki->leaf_key_pem.data(), static_cast<int>(pki->leaf_key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    Require(SSL_CTX_use_certificate(ctx, cert) == 1, "SSL_CTX_use_certificate");
    Require(SSL_CTX_use_PrivateKey(ctx, key) == 1, "SSL_CTX_use_PrivateKey");
    X509_free(cert);
    EVP_PKEY_free(key);
    ssl_ctx_ = ctx;
  }
  listen_fd_ = ListenLoopback(port_);
  Require(pipe2(stop_pipe_, O_CLOEXEC) == 0, "pipe2");
  thread_ = std::thread([this] { Run(); });
}

TestHttpServer::~TestHttpServer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  char c = 'x';
  (void)!write(stop_pipe_[1], &c, 1);
  thread_.join();
  close(listen_fd_);
  close(stop_pipe_[0]);
  close(stop_pipe_[1]);
  if (ssl_ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
}

std::vector<ReceivedRequest> TestHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

bool TestHttpServer::SleepFor(long long ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void TestHttpServer::Run() {
  while (true) {
    int fd = AcceptOrStop(listen_fd_, stop_pipe_[0]);
    if (fd < 0) return;
    connections_.fetch_add(1);
    Serve(fd);
    close(fd);
  }
}

void TestHttpServer::Serve(int fd) {
  SSL* ssl = nullptr;
  if (ssl_ctx_ != nullptr) {
    ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_));
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) {
      SSL_free(ssl);
      return;
    }
  }
  auto read_some = [&](char* buf, std::size_t n) -> long {
    if (ssl != nullptr) return SSL_read(ssl, buf, static_cast<int>(n));
    return recv(fd, buf, n, 0);
  };
  auto write_all = [&](const char* buf, std::size_t n) -> bool {
    while (n > 0) {
      long w = ssl != nullptr ? SSL_write(ssl, buf, static_cast<int>(n))
                              : send(fd, buf, n, MSG_NOSIGNAL);
      if (w <= 0) return false;
      buf += w;
      n -= static_cast<std::size_t>(w);
    }
    return true;
  };

  std::string data;
  char buf[4096];
  std::size_t head_end = std::string::npos;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos && data.size() < 65536) {
    long n = read_some(buf, sizeof(buf));
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  if (head_end != std::string::npos) {
    ReceivedRequest req;
    std::string head = data.substr(0, head_end);
    std::size_t line_end = head.find("\r\n");
    std::string line = head.substr(0, line_end);
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = line.find(' ', sp1 + 1);
    req.method = line.substr(0, sp1);
    req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      std::size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string h = head.substr(pos, e - pos);
      std::size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string value = h.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        req.headers.emplace_back(Lower(h.substr(0, colon)), value);
      }
      pos = e + 2;
    }
    std::size_t length = 0;
    std::string cl = req.HeaderValue("content-length");
    if (!cl.empty()) length = static_cast<std::size_t>(std::strtoull(cl.c_str(), nullptr, 10));
    req.body = data.substr(head_end + 4);
    while (req.body.size() < length) {
      long n = read_some(buf, sizeof(buf));
      if (n <= 0) break;
      req.body.append(buf, static_cast<std::size_t>(n));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(req);
    }
    std::string response = handler_(req);
    bool alive = delay_ms_.load() <= 0 || SleepFor(delay_ms_.load());
    if (alive) {
      long long trickle = trickle_ms_.load();
      if (trickle <= 0) {
        write_all(response.data(), response.size());
      } else {
        for (std::size_t off = 0; off < response.size(); off += 16) {
          if (!write_all(response.data() + off, std::min<std::size_t>(16, response.size() - off)) ||
              !SleepFor(trickle)) {
            break;
          }
        }
      }
    }
  }
  if (ssl != nullptr) {
    SSL_shutdown(ssl);
    SSL_free(ssl);
  }
}

TestConnectProxy::TestConnectProxy() {
  signal(SIGPIPE, SIG_IGN);
  listen_fd_ = ListenLoopback(port_);
  Require(pipe2(stop_pipe_, O_CLOEXEC) == 0, "pipe2");
  thread_ = std::thread([this] { Run(); });
}

TestConnectProxy::~TestConnectProxy() {
  char c = 'x';
  (void)!write(stop_pipe_[1], &c, 1);
  thread_.join();
  close(listen_fd_);
  close(stop_pipe_[0]);
  close(stop_pipe_[1]);
}

std::vector<std::string> TestConnectProxy::heads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return heads_;
}

void TestConnectProxy::Run() {
  while (true) {
    int fd = AcceptOrStop(listen_fd_, stop_pipe_[0]);
    if (fd < 0) return;
    connections_.fetch_add(1);
    Serve(fd);
    close(fd);
  }
}

void TestConnectProxy::Serve(int fd) {
  std::string data;
  char buf[4096];
  std::size_t head_end;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos && data.size() < 65536) {
    long n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return;
    data.append(buf, static_cast<std::size_t>(n));
  }
  std::string head = data.substr(0, head_end);
  {
    std::lock_guard<std::mutex> lock(mu_);
    heads_.push_back(head);
  }
  // "CONNECT 127.0.0.1:PORT HTTP/1.1": anything but 127.0.0.1 is refused.
  static const std::string kPrefix = "CONNECT 127.0.0.1:";
  if (head.rfind(kPrefix, 0) != 0) {
    static const char kDenied[] = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
    send(fd, kDenied, sizeof(kDenied) - 1, MSG_NOSIGNAL);
    return;
  }
  int port = std::atoi(head.c_str() + kPrefix.size());
  int up = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (up < 0 || connect(up, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    static const char kBad[] = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
    send(fd, kBad, sizeof(kBad) - 1, MSG_NOSIGNAL);
    if (up >= 0) close(up);
    return;
  }
  static const char kOk[] = "HTTP/1.1 200 Connection established\r\n\r\n";
  send(fd, kOk, sizeof(kOk) - 1, MSG_NOSIGNAL);
  std::string rest = data.substr(head_end + 4);
  if (!rest.empty()) send(up, rest.data(), rest.size(), MSG_NOSIGNAL);
  pollfd fds[3] = {{fd, POLLIN, 0}, {up, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
  while (poll(fds, 3, 5000) > 0) {
    if (fds[2].revents != 0) break;
    bool done = false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      long n = recv(fds[i].fd, buf, sizeof(buf), 0);
      if (n <= 0 || send(fds[1 - i].fd, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) <= 0) {
        done = true;
      }
    }
    if (done) break;
  }
  close(up);
}

}  // namespace bulwark::net::testing
