#include "bulwark/net/client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "bulwark/core/check.h"
#include "bulwark/core/encoding.h"

namespace bulwark::net {
namespace {

using Clock = std::chrono::steady_clock;

char Lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsTokenChar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

Result<void> CheckHeader(const Header& h) {
  if (h.name.empty() || h.name.size() > 256) {
    return Error(ErrorCode::kInvalidArgument, "request header name is empty or too long");
  }
  for (char c : h.name) {
    if (!IsTokenChar(c)) return Error(ErrorCode::kInvalidArgument, "request header name is not a token");
  }
  if (h.value.size() > 8192) return Error(ErrorCode::kInvalidArgument, "request header value is too long");
  for (char c : h.value) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) {
      return Error(ErrorCode::kInvalidArgument, "request header value has a control character");
    }
  }
  std::string name = ToLower(h.name);
  static constexpr std::string_view kForbidden[] = {
      "host", "content-length", "transfer-encoding", "connection", "expect",
      "te",   "upgrade",        "keep-alive",        "trailer"};
  for (auto f : kForbidden) {
    if (name == f) return Error(ErrorCode::kInvalidArgument, "request header is set by the client");
  }
  if (name.starts_with("proxy-")) {
    return Error(ErrorCode::kInvalidArgument, "proxy headers are not allowed in a request");
  }
  return Ok();
}

std::optional<IpAddress> FromSockaddr(const sockaddr* sa, std::size_t len) noexcept {
  if (sa == nullptr) return std::nullopt;
  if (sa->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    sockaddr_in in{};
    std::memcpy(&in, sa, sizeof(in));
    std::array<std::uint8_t, 4> b{};
    std::memcpy(b.data(), &in.sin_addr, 4);
    return IpAddress::V4(b);
  }
  if (sa->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, sa, sizeof(in6));
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), &in6.sin6_addr, 16);
    return IpAddress::V6(b);
  }
  return std::nullopt;
}

// For CURLOPT_RESOLVE / CURLOPT_CONNECT_TO: IPv6 in brackets.
std::string AddressForCurl(const IpAddress& a) {
  return a.is_v4() ? a.ToString() : "[" + a.ToString() + "]";
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlEasy {
  CURL* h = curl_easy_init();
  curl_slist* headers = nullptr;
  curl_slist* resolve = nullptr;
  curl_slist* connect_to = nullptr;
  ~CurlEasy() {
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    curl_slist_free_all(connect_to);
    if (h) curl_easy_cleanup(h);
  }
};

bool Append(curl_slist*& list, const std::string& line) {
  curl_slist* next = curl_slist_append(list, line.c_str());
  if (next == nullptr) return false;
  list = next;
  return true;
}

// State shared with the libcurl callbacks of one hop.
struct HopContext {
  const DestinationPolicy* policy = nullptr;
  bool check_connected_address = true;  // false through a proxy (vetted before)
  std::size_t max_body = 0;
  std::size_t max_headers = 0;
  std::size_t header_bytes = 0;
  bool refused = false;         // some address was refused
  bool connected_refused = false;  // the connected peer was refused (pre-request)
  int sockets_opened = 0;
  AddressClass refused_class = AddressClass::kReserved;
  bool body_too_large = false;
  bool headers_too_large = false;
  std::vector<Header> headers;
  std::string body;
};

curl_socket_t OpenSocket(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
  auto* ctx = static_cast<HopContext*>(clientp);
  if (purpose != CURLSOCKTYPE_IPCXN) {
    ctx->refused = true;
    return CURL_SOCKET_BAD;
  }
  if (ctx->check_connected_address) {
    std::optional<IpAddress> ip = FromSockaddr(&address->addr, address->addrlen);
    if (!ip || !ctx->policy->IsAddressAllowed(*ip)) {
      ctx->refused = true;
      if (ip) ctx->refused_class = Classify(*ip);
      return CURL_SOCKET_BAD;  // no socket, so nothing is ever sent there
    }
  }
  curl_socket_t fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd != CURL_SOCKET_BAD) ++ctx->sockets_opened;
  return fd;
}

int BeforeRequest(void* clientp, char* primary_ip, char*, int, int) {
  auto* ctx = static_cast<HopContext*>(clientp);
  if (!ctx->check_connected_address) return CURL_PREREQFUNC_OK;
  Result<IpAddress> ip = IpAddress::Parse(primary_ip == nullptr ? "" : primary_ip);
  if (!ip.ok() || !ctx->policy->IsAddressAllowed(*ip)) {
    ctx->refused = true;
    ctx->connected_refused = true;
    if (ip.ok()) ctx->refused_class = Classify(*ip);
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* userdata) {
  auto* ctx = static_cast<HopContext*>(userdata);
  std::size_t n = size * count;
  ctx->header_bytes += n;
  if (ctx->header_bytes > ctx->max_headers) {
    ctx->headers_too_large = true;
    return 0;
  }
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {  // a new response (1xx, or the final one)
    ctx->headers.clear();
    return n;
  }
  if (line.empty()) return n;
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // folded or junk: skipped
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  ctx->headers.push_back({ToLower(line.substr(0, colon)), std::string(value)});
  return n;
}

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* userdata) {
  auto* ctx = static_cast<HopContext*>(userdata);
  std::size_t n = size * count;
  if (ctx->body.size() + n > ctx->max_body) {
    ctx->body_too_large = true;
    return 0;
  }
  ctx->body.append(data, n);
  return n;
}

bool IsRedirect(long status) noexcept {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

Result<std::vector<IpAddress>> StaticResolver::Resolve(const std::string& host) const {
  auto it = table_.find(host);
  if (it == table_.end() || it->second.empty()) {
    return Error(ErrorCode::kNotFound, "host name does not resolve");
  }
  return it->second;
}

namespace {
class GetAddrInfoResolver final : public Resolver {
 public:
  Result<std::vector<IpAddress>> Resolve(const std::string& host) const override {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
    if (rc == EAI_NONAME || rc == EAI_NODATA) {
      return Error(ErrorCode::kNotFound, "host name does not resolve");
    }
    if (rc != 0) return Error(ErrorCode::kUnavailable, "host name resolution failed");
    std::vector<IpAddress> out;
    for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
      auto ip = FromSockaddr(ai->ai_addr, ai->ai_addrlen);
      if (ip && std::find(out.begin(), out.end(), *ip) == out.end()) out.push_back(*ip);
    }
    freeaddrinfo(list);
    if (out.empty()) return Error(ErrorCode::kNotFound, "host name does not resolve");
    return out;
  }
};
class TimeoutResolver final : public Resolver {
 public:
  TimeoutResolver(std::shared_ptr<const Resolver> inner, std::chrono::milliseconds timeout,
                  std::size_t max_in_flight)
      : inner_(std::move(inner)), timeout_(timeout), max_in_flight_(max_in_flight) {}

  Result<std::vector<IpAddress>> Resolve(const std::string& host) const override {
    // The lookup's thread may outlive this call (and this object), so what it
    // touches is shared: the job, the inner resolver and the counter.
    struct Job {
      std::mutex mutex;
      std::condition_variable done_cv;
      std::optional<Result<std::vector<IpAddress>>> result;
    };
    if (in_flight_->fetch_add(1) >= max_in_flight_) {
      in_flight_->fetch_sub(1);
      return Error(ErrorCode::kUnavailable, "too many host name lookups in progress");
    }
    auto job = std::make_shared<Job>();
    try {
      std::thread([job, inner = inner_, counter = in_flight_, host] {
        Result<std::vector<IpAddress>> r = inner->Resolve(host);
        {
          std::lock_guard<std::mutex> lock(job->mutex);
          job->result.emplace(std::move(r));
        }
        job->done_cv.notify_all();
        counter->fetch_sub(1);
      }).detach();
    } catch (const std::system_error&) {
      in_flight_->fetch_sub(1);
      return Error(ErrorCode::kUnavailable, "host name resolution failed");
    }
    std::unique_lock<std::mutex> lock(job->mutex);
    if (!job->done_cv.wait_for(lock, timeout_, [&] { return job->result.has_value(); })) {
      return Error(ErrorCode::kUnavailable, "host name resolution timed out");
    }
    return std::move(*job->result);
  }

 private:
  std::shared_ptr<const Resolver> inner_;
  std::chrono::milliseconds timeout_;
  std::size_t max_in_flight_;
  std::shared_ptr<std::atomic<std::size_t>> in_flight_ =
      std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace

std::shared_ptr<const Resolver> WithTimeout(std::shared_ptr<const Resolver> inner,
                                            std::chrono::milliseconds timeout,
                                            std::size_t max_in_flight) {
  BULWARK_CHECK(inner != nullptr && timeout.count() > 0 && max_in_flight >= 1);
  return std::make_shared<const TimeoutResolver>(std::move(inner), timeout, max_in_flight);
}

std::shared_ptr<const Resolver> SystemResolver() {
  static const auto resolver =
      WithTimeout(std::make_shared<const GetAddrInfoResolver>(), std::chrono::seconds(5));
  return resolver;
}

std::optional<std::string_view> Response::FindHeader(std::string_view name) const {
  for (const auto& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

struct Client::Impl {
  ClientOptions options;
  std::shared_ptr<const Resolver> resolver;
  std::string proxy;     // canonical proxy URL or empty
  std::string pins;      // "sha256//a;sha256//b" or empty
  std::vector<std::string> sensitive;  // lower case
  std::map<std::string, std::vector<IpAddress>> connect_overrides;

  struct Hop {
    long status = 0;
    std::vector<Header> headers;
    std::string body;
    std::string remote_address;
  };
  Result<Hop> SendOnce(const DestinationPolicy& policy, const Url& url, Method method,
                       const std::vector<Header>& headers, const std::string& body,
                       Clock::time_point deadline) const;
};

Result<Client> Client::Create(DestinationPolicy policy, ClientOptions options,
                              std::shared_ptr<const Resolver> resolver) {
  using std::chrono::milliseconds;
  if (options.connect_timeout <= milliseconds(0) || options.total_timeout <= milliseconds(0)) {
    return Error(ErrorCode::kInvalidArgument, "client timeouts must be positive");
  }
  if (options.max_response_body_bytes == 0 || options.max_response_header_bytes == 0) {
    return Error(ErrorCode::kInvalidArgument, "client size caps must be positive");
  }
  if (options.max_redirects < 0 || options.max_redirects > 10) {
    return Error(ErrorCode::kInvalidArgument, "max_redirects must be within 0..10");
  }
  if (resolver == nullptr) return Error(ErrorCode::kInvalidArgument, "client needs a resolver");
  BULWARK_RETURN_IF_ERROR(CheckHeader({"User-Agent", options.user_agent}));
  auto impl = std::make_shared<Impl>();
  if (!options.proxy_url.empty()) {
    auto proxy = Url::Parse(options.proxy_url);
    if (!proxy.ok() || proxy->target() != "/") {
      return Error(ErrorCode::kInvalidArgument, "proxy URL must be http(s)://host:port");
    }
    impl->proxy = proxy->Origin();
  }
  for (const auto& pin : options.pinned_spki_sha256) {
    auto decoded = Base64Decode(pin);
    if (!decoded.ok() || decoded->size() != 32) {
      return Error(ErrorCode::kInvalidArgument, "SPKI pin must be base64 of a SHA-256 digest");
    }
    if (!impl->pins.empty()) impl->pins += ';';
    impl->pins += "sha256//" + pin;
  }
  impl->sensitive = {"authorization", "cookie", "proxy-authorization"};
  for (const auto& name : options.sensitive_headers) impl->sensitive.push_back(ToLower(name));
  impl->resolver = std::move(resolver);
  impl->options = std::move(options);
  GlobalInit();
  return Client(std::move(impl), std::make_shared<const DestinationPolicy>(std::move(policy)));
}

void Client::OverrideConnectAddressesForTest(std::string host, std::vector<IpAddress> addresses) {
  impl_->connect_overrides[ToLower(host)] = std::move(addresses);
}

Result<Client::Impl::Hop> Client::Impl::SendOnce(const DestinationPolicy& policy, const Url& url,
                                                 Method method,
                                                 const std::vector<Header>& headers,
                                                 const std::string& body,
                                                 Clock::time_point deadline) const {
  BULWARK_RETURN_IF_ERROR(policy.CheckUrl(url));

  // Resolve and vet every answer before connecting anywhere.
  std::vector<IpAddress> addresses;
  if (url.host_address()) {
    addresses.push_back(*url.host_address());
  } else {
    BULWARK_ASSIGN_OR_RETURN(addresses, resolver->Resolve(url.host()));
    if (addresses.empty()) return Error(ErrorCode::kNotFound, "host name does not resolve");
    for (const auto& a : addresses) BULWARK_RETURN_IF_ERROR(policy.CheckAddress(a));
  }
  if (auto it = connect_overrides.find(url.host()); it != connect_overrides.end()) {
    addresses = it->second;
  }

  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (remaining.count() <= 0) return Error(ErrorCode::kDeadlineExceeded, "outbound request timed out");

  CurlEasy easy;
  if (easy.h == nullptr) return Error(ErrorCode::kInternal, "libcurl handle allocation failed");
  CURL* h = easy.h;
  HopContext ctx;
  ctx.policy = &policy;
  ctx.check_connected_address = proxy.empty();
  ctx.max_body = options.max_response_body_bytes;
  ctx.max_headers = options.max_response_header_bytes;

  const std::string url_text = url.ToString();
  const char* protocols = policy.allow_http() ? "http,https" : "https";
  bool ok = true;
  auto set = [&ok](CURLcode rc) { ok = ok && rc == CURLE_OK; };
  set(curl_easy_setopt(h, CURLOPT_URL, url_text.c_str()));
  set(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols));
  set(curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protocols));
  set(curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L));
  set(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(h, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED)));
  set(curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1)));
  set(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(std::min(options.connect_timeout, remaining).count())));
  set(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining.count())));
  set(curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str()));
  // TLS: always verified.
  set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L));
  set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L));
  set(curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
  set(curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYPEER, 1L));
  set(curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYHOST, 2L));
  curl_blob ca_blob{};
  if (!options.ca_bundle_pem.empty()) {
    ca_blob.data = const_cast<char*>(options.ca_bundle_pem.data());
    ca_blob.len = options.ca_bundle_pem.size();
    ca_blob.flags = CURL_BLOB_COPY;
    set(curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca_blob));
    set(curl_easy_setopt(h, CURLOPT_CAPATH, nullptr));
  } else if (!options.ca_bundle_file.empty()) {
    set(curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_bundle_file.c_str()));
    set(curl_easy_setopt(h, CURLOPT_CAPATH, nullptr));
  }
  if (!pins.empty()) set(curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, pins.c_str()));
  // Proxy: only the configured one; the environment is ignored.
  set(curl_easy_setopt(h, CURLOPT_PROXY, proxy.c_str()));
  set(curl_easy_setopt(h, CURLOPT_NOPROXY, ""));
  if (!proxy.empty()) {
    set(curl_easy_setopt(h, CURLOPT_HTTPPROXYTUNNEL, 1L));
    set(curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L));
    set(curl_easy_setopt(h, CURLOPT_HEADEROPT, static_cast<long>(CURLHEADER_SEPARATE)));
    // The proxy is asked to CONNECT to the vetted address, not to the name,
    // so its own DNS cannot be used for rebinding.
    const std::string line = url.host() + ":" + std::to_string(url.port()) + ":" +
                             AddressForCurl(addresses.front()) + ":" +
                             std::to_string(url.port());
    if (!Append(easy.connect_to, line)) return Error(ErrorCode::kInternal, "out of memory");
    set(curl_easy_setopt(h, CURLOPT_CONNECT_TO, easy.connect_to));
  } else if (!url.host_address()) {
    // Pin the connection to the vetted answers: libcurl does no DNS itself.
    std::string line = url.host() + ":" + std::to_string(url.port()) + ":";
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      if (i > 0) line += ',';
      line += AddressForCurl(addresses[i]);
    }
    if (!Append(easy.resolve, line)) return Error(ErrorCode::kInternal, "out of memory");
    set(curl_easy_setopt(h, CURLOPT_RESOLVE, easy.resolve));
  }
  set(curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &OpenSocket));
  set(curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &ctx));
  set(curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, &BeforeRequest));
  set(curl_easy_setopt(h, CURLOPT_PREREQDATA, &ctx));
  set(curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader));
  set(curl_easy_setopt(h, CURLOPT_HEADERDATA, &ctx));
  set(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody));
  set(curl_easy_setopt(h, CURLOPT_WRITEDATA, &ctx));
  set(curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                       static_cast<curl_off_t>(options.max_response_body_bytes)));

  switch (method) {
    case Method::kGet: break;
    case Method::kHead: set(curl_easy_setopt(h, CURLOPT_NOBODY, 1L)); break;
    case Method::kPost: set(curl_easy_setopt(h, CURLOPT_POST, 1L)); break;
    case Method::kPut: set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT")); break;
    case Method::kPatch: set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PATCH")); break;
    case Method::kDelete: set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE")); break;
  }
  if (method == Method::kPost || method == Method::kPut || method == Method::kPatch ||
      (method == Method::kDelete && !body.empty())) {
    set(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size())));
    set(curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data()));
  }
  bool ok_headers = Append(easy.headers, "Expect:") && Append(easy.headers, "Accept-Encoding:");
  for (const auto& header : headers) {
    ok_headers = ok_headers && Append(easy.headers, header.name + ": " + header.value);
  }
  if (!ok_headers) return Error(ErrorCode::kInternal, "out of memory");
  set(curl_easy_setopt(h, CURLOPT_HTTPHEADER, easy.headers));
  if (!ok) return Error(ErrorCode::kInternal, "libcurl lacks a required option");

  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    // Refused when every candidate address was refused, or the connected
    // peer was; a later failure on an allowed address is reported as itself.
    if (ctx.connected_refused || (ctx.refused && ctx.sockets_opened == 0)) {
      return Error(ErrorCode::kPermissionDenied,
                   "connection to a refused address was blocked (" +
                       std::string(AddressClassName(ctx.refused_class)) + ")");
    }
    if (ctx.body_too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      return Error(ErrorCode::kResourceExhausted, "response body exceeds the size cap");
    }
    if (ctx.headers_too_large) {
      return Error(ErrorCode::kResourceExhausted, "response headers exceed the size cap");
    }
    switch (rc) {
      case CURLE_OPERATION_TIMEDOUT:
        return Error(ErrorCode::kDeadlineExceeded, "outbound request timed out");
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
        return Error(ErrorCode::kNotFound, "host name does not resolve");
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_SSL_CERTPROBLEM:
        return Error(ErrorCode::kUnavailable, "TLS connection or verification failed");
      case CURLE_UNSUPPORTED_PROTOCOL:
        return Error(ErrorCode::kPermissionDenied, "protocol is not allowed");
      default:
        return Error(ErrorCode::kUnavailable, "outbound request failed");
    }
  }
  Hop hop;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &hop.status);
  char* ip = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) {
    hop.remote_address = ip;
  }
  hop.headers = std::move(ctx.headers);
  hop.body = std::move(ctx.body);
  return hop;
}

Result<Response> Client::Send(const Request& request) const {
  const auto deadline = Clock::now() + impl_->options.total_timeout;
  for (const auto& header : request.headers) BULWARK_RETURN_IF_ERROR(CheckHeader(header));
  if (request.body.size() > impl_->options.max_request_body_bytes) {
    return Error(ErrorCode::kResourceExhausted, "request body exceeds the size cap");
  }
  if ((request.method == Method::kGet || request.method == Method::kHead) &&
      !request.body.empty()) {
    return Error(ErrorCode::kInvalidArgument, "GET and HEAD requests have no body");
  }
  BULWARK_ASSIGN_OR_RETURN(Url url, Url::Parse(request.url));
  Method method = request.method;
  std::vector<Header> headers = request.headers;
  std::string body = request.body;

  for (int hops = 0;; ++hops) {
    BULWARK_ASSIGN_OR_RETURN(Impl::Hop hop,
                             impl_->SendOnce(*policy_, url, method, headers, body, deadline));
    std::optional<std::string> location;
    for (const auto& h : hop.headers) {
      if (h.name == "location") location = h.value;
    }
    if (impl_->options.max_redirects == 0 || !IsRedirect(hop.status) || !location) {
      Response response;
      response.status = static_cast<int>(hop.status);
      response.headers = std::move(hop.headers);
      response.body = std::move(hop.body);
      response.url = url.ToString();
      response.remote_address = std::move(hop.remote_address);
      response.redirects = hops;
      return response;
    }
    if (hops >= impl_->options.max_redirects) {
      return Error(ErrorCode::kResourceExhausted, "too many redirects");
    }
    BULWARK_ASSIGN_OR_RETURN(Url next, url.Resolve(*location));
    if (url.scheme() == "https" && next.scheme() != "https") {
      return Error(ErrorCode::kPermissionDenied, "redirect from https to http is refused");
    }
    if (next.Origin() != url.Origin()) {
      std::erase_if(headers, [this](const Header& h) {
        std::string name = ToLower(h.name);
        return std::find(impl_->sensitive.begin(), impl_->sensitive.end(), name) !=
               impl_->sensitive.end();
      });
    }
    if (hop.status == 303 || ((hop.status == 301 || hop.status == 302) && method == Method::kPost)) {
      if (method != Method::kHead) method = Method::kGet;
      body.clear();
    }
    url = std::move(next);
  }
}

}  // namespace bulwark::net
