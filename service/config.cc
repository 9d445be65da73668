#include "config.h"

#include <sys/stat.h>

#include <charconv>
#include <tuple>
#include <cstdlib>
#include <set>
#include <string_view>

#include <toml++/toml.h>

namespace bulwark::service {
namespace {

Error Bad(std::string_view setting, std::string_view why) {
  return Error(ErrorCode::kInvalidArgument,
               "config: " + std::string(setting) + ": " + std::string(why));
}

// Retention periods: 0 to 10 years (more is likelier a unit mistake than a
// policy). The purge runs between every minute and every week.
constexpr std::int64_t kMaxRetentionSeconds = std::int64_t{3650} * 86400;
constexpr std::int64_t kMinRetentionInterval = 60;
constexpr std::int64_t kMaxRetentionInterval = 7 * 86400;

Result<std::int64_t> ParseInt(std::string_view setting, std::string_view text, std::int64_t min,
                              std::int64_t max) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range) {
    return Bad(setting, "out of range " + std::to_string(min) + ".." + std::to_string(max));
  }
  if (ec != std::errc() || p != text.data() + text.size()) return Bad(setting, "not an integer");
  if (v < min || v > max) {
    return Bad(setting, "out of range " + std::to_string(min) + ".." + std::to_string(max));
  }
  return v;
}

Result<bool> ParseBool(std::string_view setting, std::string_view text) {
  if (text == "1" || text == "true" || text == "yes") return true;
  if (text == "0" || text == "false" || text == "no") return false;
  return Bad(setting, "expected true or false");
}

std::vector<std::string> SplitComma(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

// A view of one TOML table that refuses keys nobody reads (a typo in a
// security setting must not be silently ignored).
class Table {
 public:
  Table(const toml::table* table, std::string prefix) : table_(table), prefix_(std::move(prefix)) {}

  Result<void> String(std::string_view key, std::string& out) {
    const toml::node* n = Take(key);
    if (n == nullptr) return Ok();
    if (!n->is_string()) return Bad(Name(key), "expected a string");
    out = n->as_string()->get();
    return Ok();
  }
  Result<void> Secret(std::string_view key, SecretString& out) {
    const toml::node* n = Take(key);
    if (n == nullptr) return Ok();
    if (!n->is_string()) return Bad(Name(key), "expected a string");
    out = SecretString::CopyFrom(AsBytes(n->as_string()->get()));
    return Ok();
  }
  Result<void> Bool(std::string_view key, bool& out) {
    const toml::node* n = Take(key);
    if (n == nullptr) return Ok();
    if (!n->is_boolean()) return Bad(Name(key), "expected true or false");
    out = n->as_boolean()->get();
    return Ok();
  }
  template <class T>
  Result<void> Int(std::string_view key, T& out, std::int64_t min, std::int64_t max) {
    const toml::node* n = Take(key);
    if (n == nullptr) return Ok();
    if (!n->is_integer()) return Bad(Name(key), "expected an integer");
    std::int64_t v = n->as_integer()->get();
    if (v < min || v > max) {
      return Bad(Name(key), "out of range " + std::to_string(min) + ".." + std::to_string(max));
    }
    out = static_cast<T>(v);
    return Ok();
  }
  Result<void> Seconds(std::string_view key, std::chrono::seconds& out, std::int64_t min,
                       std::int64_t max) {
    std::int64_t v = out.count();
    BULWARK_RETURN_IF_ERROR(Int(key, v, min, max));
    out = std::chrono::seconds(v);
    return Ok();
  }
  Result<void> Strings(std::string_view key, std::vector<std::string>& out) {
    const toml::node* n = Take(key);
    if (n == nullptr) return Ok();
    if (!n->is_array()) return Bad(Name(key), "expected an array of strings");
    out.clear();
    for (const toml::node& item : *n->as_array()) {
      if (!item.is_string()) return Bad(Name(key), "expected an array of strings");
      out.push_back(item.as_string()->get());
    }
    return Ok();
  }
  Result<void> Ports(std::string_view key, std::vector<std::uint16_t>& out) {
    const toml::node* n = Take(key);
    if (n == nullptr) return Ok();
    if (!n->is_array()) return Bad(Name(key), "expected an array of port numbers");
    out.clear();
    for (const toml::node& item : *n->as_array()) {
      if (!item.is_integer()) return Bad(Name(key), "expected an array of port numbers");
      std::int64_t v = item.as_integer()->get();
      if (v < 1 || v > 65535) return Bad(Name(key), "port out of range 1..65535");
      out.push_back(static_cast<std::uint16_t>(v));
    }
    return Ok();
  }
  Result<Table> Sub(std::string_view key) {
    const toml::node* n = Take(key);
    if (n == nullptr) return Table(nullptr, Name(key) + ".");
    if (!n->is_table()) return Bad(Name(key), "expected a table");
    return Table(n->as_table(), Name(key) + ".");
  }
  // Errors for keys that were never read.
  Result<void> Finish() const {
    if (table_ == nullptr) return Ok();
    for (const auto& [k, v] : *table_) {
      if (!seen_.contains(std::string(k.str()))) {
        // Key names are from the operator's own file; keep them short in the message.
        std::string name(k.str().substr(0, 64));
        return Bad(prefix_ + name, "unknown setting");
      }
    }
    return Ok();
  }

 private:
  std::string Name(std::string_view key) const { return prefix_ + std::string(key); }
  const toml::node* Take(std::string_view key) {
    if (table_ == nullptr) return nullptr;
    seen_.insert(std::string(key));
    return table_->get(key);
  }
  const toml::table* table_;
  std::string prefix_;
  std::set<std::string> seen_;
};

Result<void> ApplyFile(const std::string& path, Config& c) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Error(ErrorCode::kNotFound, "config file not found: " + path);
  }
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorCode::kInvalidArgument, "config file is not a regular file: " + path);
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Error(ErrorCode::kPermissionDenied,
                 "config file " + path + " is writable by group or others; chmod go-w it");
  }
  if (st.st_size > 1024 * 1024) {
    return Error(ErrorCode::kResourceExhausted, "config file over 1 MiB: " + path);
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& err) {
    return Error(ErrorCode::kInvalidArgument,
                 "config file " + path + ": TOML error at line " +
                     std::to_string(err.source().begin.line) + ": " +
                     std::string(err.description()));
  }
  Table t(&root, "");
  BULWARK_RETURN_IF_ERROR(t.String("listen", c.listen));
  BULWARK_RETURN_IF_ERROR(t.String("data_dir", c.data_dir));
  BULWARK_RETURN_IF_ERROR(t.Secret("database", c.database));
  BULWARK_RETURN_IF_ERROR(t.String("redis", c.redis));
  BULWARK_RETURN_IF_ERROR(t.String("master_key", c.master_key));
  BULWARK_RETURN_IF_ERROR(t.String("issuer", c.issuer));
  BULWARK_RETURN_IF_ERROR(t.String("log_level", c.log_level));
  BULWARK_RETURN_IF_ERROR(t.Int("threads", c.threads, 1, 64));

  BULWARK_ASSIGN_OR_RETURN(Table tls, t.Sub("tls"));
  BULWARK_RETURN_IF_ERROR(tls.String("cert", c.tls_cert));
  BULWARK_RETURN_IF_ERROR(tls.String("key", c.tls_key));
  BULWARK_RETURN_IF_ERROR(tls.Finish());

  BULWARK_ASSIGN_OR_RETURN(Table proxy, t.Sub("proxy"));
  BULWARK_RETURN_IF_ERROR(proxy.Bool("behind_proxy", c.behind_proxy));
  BULWARK_RETURN_IF_ERROR(proxy.Strings("trusted", c.trusted_proxies));
  BULWARK_RETURN_IF_ERROR(proxy.Finish());

  BULWARK_ASSIGN_OR_RETURN(Table limits, t.Sub("limits"));
  BULWARK_RETURN_IF_ERROR(limits.Int("requests_per_minute", c.rate_limit_per_minute, 1, 10'000'000));
  BULWARK_RETURN_IF_ERROR(limits.Int("burst", c.rate_limit_burst, 1, 1'000'000));
  BULWARK_RETURN_IF_ERROR(limits.Int("connections_per_address", c.connections_per_address, 1, 10'000));
  BULWARK_RETURN_IF_ERROR(limits.Int("registrations_per_hour", c.registrations_per_hour, 1, 1'000'000));
  BULWARK_RETURN_IF_ERROR(limits.Finish());

  BULWARK_ASSIGN_OR_RETURN(Table tokens, t.Sub("tokens"));
  BULWARK_RETURN_IF_ERROR(tokens.Seconds("access_ttl_seconds", c.access_token_ttl, 60, 3600));
  BULWARK_RETURN_IF_ERROR(
      tokens.Seconds("refresh_lifetime_seconds", c.refresh_family_lifetime, 3600, 90 * 86400));
  BULWARK_RETURN_IF_ERROR(tokens.Finish());

  BULWARK_ASSIGN_OR_RETURN(Table sessions, t.Sub("sessions"));
  BULWARK_RETURN_IF_ERROR(sessions.Seconds("idle_seconds", c.session_idle, 60, 7 * 86400));
  BULWARK_RETURN_IF_ERROR(
      sessions.Seconds("absolute_seconds", c.session_absolute, 300, 30 * 86400));
  BULWARK_RETURN_IF_ERROR(sessions.Finish());

  BULWARK_ASSIGN_OR_RETURN(Table hashing, t.Sub("hashing"));
  BULWARK_RETURN_IF_ERROR(hashing.Int("workers", c.hash_workers, 1, 64));
  BULWARK_RETURN_IF_ERROR(hashing.Int("queue", c.hash_queue, 1, 10'000));
  std::int64_t timeout_ms = c.hash_queue_timeout.count();
  BULWARK_RETURN_IF_ERROR(hashing.Int("queue_timeout_ms", timeout_ms, 10, 60'000));
  c.hash_queue_timeout = std::chrono::milliseconds(timeout_ms);
  BULWARK_RETURN_IF_ERROR(hashing.Finish());

  BULWARK_ASSIGN_OR_RETURN(Table cors, t.Sub("cors"));
  BULWARK_RETURN_IF_ERROR(cors.Strings("origins", c.cors_origins));
  BULWARK_RETURN_IF_ERROR(cors.Finish());

  BULWARK_ASSIGN_OR_RETURN(Table hooks, t.Sub("webhooks"));
  BULWARK_RETURN_IF_ERROR(hooks.Int("workers", c.webhook_workers, 1, 32));
  BULWARK_RETURN_IF_ERROR(hooks.Int("max_attempts", c.webhook_max_attempts, 1, 20));
  BULWARK_RETURN_IF_ERROR(hooks.Seconds("retry_base_seconds", c.webhook_retry_base, 1, 3600));
  BULWARK_RETURN_IF_ERROR(hooks.Seconds("timeout_seconds", c.webhook_timeout, 1, 60));
  BULWARK_RETURN_IF_ERROR(hooks.Int("max_per_account", c.webhook_max_per_account, 1, 100));
  BULWARK_RETURN_IF_ERROR(hooks.Ports("allowed_ports", c.webhook_allowed_ports));
  BULWARK_RETURN_IF_ERROR(
      hooks.Bool("unsafe_allow_http_for_testing", c.webhook_unsafe_allow_http_for_testing));
  BULWARK_RETURN_IF_ERROR(hooks.Bool("unsafe_allow_loopback_for_testing",
                                     c.webhook_unsafe_allow_loopback_for_testing));
  BULWARK_RETURN_IF_ERROR(hooks.Finish());

  BULWARK_ASSIGN_OR_RETURN(Table files, t.Sub("files"));
  BULWARK_RETURN_IF_ERROR(files.Int("max_bytes", c.files_max_bytes, 1024, std::int64_t{64} << 20));
  BULWARK_RETURN_IF_ERROR(files.Int("quota_bytes", c.files_quota_bytes, 1024, std::int64_t{1} << 40));
  BULWARK_RETURN_IF_ERROR(files.Int("max_per_account", c.files_max_per_account, 1, 1'000'000));
  BULWARK_RETURN_IF_ERROR(files.Int("min_free_bytes", c.files_min_free_bytes, 0, std::int64_t{1} << 50));
  BULWARK_RETURN_IF_ERROR(files.Finish());

  BULWARK_ASSIGN_OR_RETURN(Table retention, t.Sub("retention"));
  BULWARK_RETURN_IF_ERROR(
      retention.Seconds("sessions_seconds", c.retention_sessions, 0, kMaxRetentionSeconds));
  BULWARK_RETURN_IF_ERROR(retention.Seconds("refresh_families_seconds",
                                            c.retention_refresh_families, 0, kMaxRetentionSeconds));
  BULWARK_RETURN_IF_ERROR(
      retention.Seconds("api_keys_seconds", c.retention_api_keys, 0, kMaxRetentionSeconds));
  BULWARK_RETURN_IF_ERROR(retention.Seconds("webhook_deliveries_seconds",
                                            c.retention_webhook_deliveries, 0, kMaxRetentionSeconds));
  BULWARK_RETURN_IF_ERROR(retention.Seconds("interval_seconds", c.retention_interval,
                                            kMinRetentionInterval, kMaxRetentionInterval));
  BULWARK_RETURN_IF_ERROR(retention.Finish());
  return t.Finish();
}

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

Result<void> ApplyEnv(Config& c) {
  if (auto v = Env("BULWARK_LISTEN")) c.listen = *v;
  if (auto v = Env("BULWARK_DATA_DIR")) c.data_dir = *v;
  if (const char* v = std::getenv("BULWARK_DATABASE"); v != nullptr && *v != '\0') {
    c.database = SecretString::CopyFrom(AsBytes(v));
    ::unsetenv("BULWARK_DATABASE");  // may hold a password; keep it from children
  }
  if (auto v = Env("BULWARK_REDIS")) c.redis = *v;
  if (auto v = Env("BULWARK_MASTER_KEY_SOURCE")) c.master_key = *v;
  if (auto v = Env("BULWARK_TLS_CERT")) c.tls_cert = *v;
  if (auto v = Env("BULWARK_TLS_KEY")) c.tls_key = *v;
  if (auto v = Env("BULWARK_ISSUER")) c.issuer = *v;
  if (auto v = Env("BULWARK_LOG_LEVEL")) c.log_level = *v;
  if (auto v = Env("BULWARK_BEHIND_PROXY")) {
    BULWARK_ASSIGN_OR_RETURN(c.behind_proxy, ParseBool("BULWARK_BEHIND_PROXY", *v));
  }
  if (auto v = Env("BULWARK_TRUSTED_PROXIES")) c.trusted_proxies = SplitComma(*v);
  if (auto v = Env("BULWARK_CORS_ORIGINS")) c.cors_origins = SplitComma(*v);
  if (auto v = Env("BULWARK_THREADS")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n, ParseInt("BULWARK_THREADS", *v, 1, 64));
    c.threads = static_cast<std::size_t>(n);
  }
  if (auto v = Env("BULWARK_RATE_LIMIT_PER_MINUTE")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n,
                             ParseInt("BULWARK_RATE_LIMIT_PER_MINUTE", *v, 1, 10'000'000));
    c.rate_limit_per_minute = static_cast<std::uint32_t>(n);
  }
  if (auto v = Env("BULWARK_RATE_LIMIT_BURST")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n, ParseInt("BULWARK_RATE_LIMIT_BURST", *v, 1, 1'000'000));
    c.rate_limit_burst = static_cast<std::uint32_t>(n);
  }
  if (auto v = Env("BULWARK_CONNECTIONS_PER_ADDRESS")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n, ParseInt("BULWARK_CONNECTIONS_PER_ADDRESS", *v, 1, 10'000));
    c.connections_per_address = static_cast<std::uint32_t>(n);
  }
  if (auto v = Env("BULWARK_REGISTRATIONS_PER_HOUR")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n, ParseInt("BULWARK_REGISTRATIONS_PER_HOUR", *v, 1, 1'000'000));
    c.registrations_per_hour = static_cast<std::uint32_t>(n);
  }
  if (auto v = Env("BULWARK_HASH_WORKERS")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n, ParseInt("BULWARK_HASH_WORKERS", *v, 1, 64));
    c.hash_workers = static_cast<std::size_t>(n);
  }
  if (auto v = Env("BULWARK_WEBHOOK_WORKERS")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n, ParseInt("BULWARK_WEBHOOK_WORKERS", *v, 1, 32));
    c.webhook_workers = static_cast<std::size_t>(n);
  }
  if (auto v = Env("BULWARK_WEBHOOK_MAX_ATTEMPTS")) {
    BULWARK_ASSIGN_OR_RETURN(c.webhook_max_attempts,
                             ParseInt("BULWARK_WEBHOOK_MAX_ATTEMPTS", *v, 1, 20));
  }
  if (auto v = Env("BULWARK_WEBHOOK_RETRY_BASE_SECONDS")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n,
                             ParseInt("BULWARK_WEBHOOK_RETRY_BASE_SECONDS", *v, 1, 3600));
    c.webhook_retry_base = std::chrono::seconds(n);
  }
  if (auto v = Env("BULWARK_WEBHOOK_TIMEOUT_SECONDS")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n, ParseInt("BULWARK_WEBHOOK_TIMEOUT_SECONDS", *v, 1, 60));
    c.webhook_timeout = std::chrono::seconds(n);
  }
  if (auto v = Env("BULWARK_WEBHOOK_ALLOWED_PORTS")) {
    c.webhook_allowed_ports.clear();
    for (const std::string& item : SplitComma(*v)) {
      BULWARK_ASSIGN_OR_RETURN(std::int64_t n, ParseInt("BULWARK_WEBHOOK_ALLOWED_PORTS", item, 1, 65535));
      c.webhook_allowed_ports.push_back(static_cast<std::uint16_t>(n));
    }
  }
  if (auto v = Env("BULWARK_WEBHOOK_UNSAFE_ALLOW_HTTP_FOR_TESTING")) {
    BULWARK_ASSIGN_OR_RETURN(c.webhook_unsafe_allow_http_for_testing,
                             ParseBool("BULWARK_WEBHOOK_UNSAFE_ALLOW_HTTP_FOR_TESTING", *v));
  }
  if (auto v = Env("BULWARK_WEBHOOK_UNSAFE_ALLOW_LOOPBACK_FOR_TESTING")) {
    BULWARK_ASSIGN_OR_RETURN(c.webhook_unsafe_allow_loopback_for_testing,
                             ParseBool("BULWARK_WEBHOOK_UNSAFE_ALLOW_LOOPBACK_FOR_TESTING", *v));
  }
  if (auto v = Env("BULWARK_FILES_MAX_BYTES")) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n,
                             ParseInt("BULWARK_FILES_MAX_BYTES", *v, 1024, std::int64_t{64} << 20));
    c.files_max_bytes = static_cast<std::size_t>(n);
  }
  for (auto [name, field, min, max] :
       {std::tuple{"BULWARK_RETENTION_SESSIONS_SECONDS", &c.retention_sessions, std::int64_t{0},
                   kMaxRetentionSeconds},
        std::tuple{"BULWARK_RETENTION_REFRESH_FAMILIES_SECONDS", &c.retention_refresh_families,
                   std::int64_t{0}, kMaxRetentionSeconds},
        std::tuple{"BULWARK_RETENTION_API_KEYS_SECONDS", &c.retention_api_keys, std::int64_t{0},
                   kMaxRetentionSeconds},
        std::tuple{"BULWARK_RETENTION_WEBHOOK_DELIVERIES_SECONDS", &c.retention_webhook_deliveries,
                   std::int64_t{0}, kMaxRetentionSeconds},
        std::tuple{"BULWARK_RETENTION_INTERVAL_SECONDS", &c.retention_interval,
                   kMinRetentionInterval, kMaxRetentionInterval}}) {
    if (auto v = Env(name)) {
      BULWARK_ASSIGN_OR_RETURN(std::int64_t n, ParseInt(name, *v, min, max));
      *field = std::chrono::seconds(n);
    }
  }
  if (auto v = Env("BULWARK_FILES_QUOTA_BYTES")) {
    BULWARK_ASSIGN_OR_RETURN(c.files_quota_bytes,
                             ParseInt("BULWARK_FILES_QUOTA_BYTES", *v, 1024, std::int64_t{1} << 40));
  }
  if (auto v = Env("BULWARK_FILES_MIN_FREE_BYTES")) {
    BULWARK_ASSIGN_OR_RETURN(c.files_min_free_bytes,
                             ParseInt("BULWARK_FILES_MIN_FREE_BYTES", *v, 0, std::int64_t{1} << 50));
  }
  return Ok();
}

bool UrlHasPassword(std::string_view url) {
  if (url.find("password=") != std::string_view::npos) return true;
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view rest = url.substr(scheme + 3);
  std::size_t at = rest.find('@');
  std::size_t slash = rest.find('/');
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return false;
  return rest.substr(0, at).find(':') != std::string_view::npos;
}

}  // namespace

bool IsPostgresUrl(std::string_view url) {
  return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

Result<Config> LoadConfig(const CommandLine& flags) {
  Config c;
  if (auto home = Env("XDG_DATA_HOME")) {
    c.data_dir = *home + "/bulwark";
  } else if (auto h = Env("HOME")) {
    c.data_dir = *h + "/.local/share/bulwark";
  }
  std::string file = flags.config;
  if (file.empty()) {
    if (auto v = Env("BULWARK_CONFIG")) file = *v;
  }
  if (!file.empty()) {
    c.config_file = file;
    BULWARK_RETURN_IF_ERROR(ApplyFile(file, c));
  }
  BULWARK_RETURN_IF_ERROR(ApplyEnv(c));
  if (flags.listen) c.listen = *flags.listen;
  if (flags.data_dir) c.data_dir = *flags.data_dir;
  if (flags.database) {
    if (UrlHasPassword(*flags.database)) {
      return Error(ErrorCode::kInvalidArgument,
                   "--database: a password on the command line is visible to every local user "
                   "(ps); put the URL in BULWARK_DATABASE or the config file, or use ~/.pgpass");
    }
    c.database = SecretString::CopyFrom(AsBytes(*flags.database));
  }
  if (flags.redis) c.redis = *flags.redis;
  if (flags.tls_cert) c.tls_cert = *flags.tls_cert;
  if (flags.tls_key) c.tls_key = *flags.tls_key;
  if (c.data_dir.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "no data directory: set HOME, XDG_DATA_HOME, BULWARK_DATA_DIR or data_dir");
  }
  return c;
}

Result<ListenAddress> ParseListen(const std::string& listen) {
  ListenAddress out;
  std::string_view text = listen;
  std::string_view port;
  if (text.starts_with("[")) {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Bad("listen", "expected [v6-address]:port");
    }
    out.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return Bad("listen", "expected host:port");
    out.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  BULWARK_ASSIGN_OR_RETURN(std::int64_t p, ParseInt("listen port", port, 0, 65535));
  out.port = static_cast<std::uint16_t>(p);
  if (out.host == "localhost") out.host = "127.0.0.1";
  return out;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "::1" || host.starts_with("127.") || host == "localhost";
}

Result<void> CheckConfig(const Config& c) {
  BULWARK_ASSIGN_OR_RETURN(ListenAddress addr, ParseListen(c.listen));
  const bool tls = !c.tls_cert.empty() || !c.tls_key.empty();
  if (tls && (c.tls_cert.empty() || c.tls_key.empty())) {
    return Error(ErrorCode::kFailedPrecondition,
                 "TLS needs both a certificate (--tls-cert) and its private key (--tls-key)");
  }
  if (!tls && !IsLoopbackHost(addr.host)) {
    if (!c.behind_proxy) {
      return Error(ErrorCode::kFailedPrecondition,
                   "refusing to serve plain HTTP on a non-loopback address (" + addr.host +
                       "): passwords and tokens would cross the network in clear. Use "
                       "--tls-cert/--tls-key, or set [proxy] behind_proxy = true (and "
                       "trusted = [...]) when a TLS-terminating proxy is in front");
    }
    if (c.trusted_proxies.empty()) {
      return Error(ErrorCode::kFailedPrecondition,
                   "behind_proxy is set but no trusted proxy addresses are listed "
                   "([proxy] trusted = [\"10.0.0.0/8\"])");
    }
  }
  std::string_view db = AsChars(c.database.RevealBytes(InsecureSecretAccess()));
  if (!db.starts_with("sqlite:") && !IsPostgresUrl(db)) {
    return Bad("database", "expected sqlite:, sqlite:/path/file.db or postgres://...");
  }
  if (!c.redis.empty() && !c.redis.starts_with("redis://")) {
    return Bad("redis", "expected redis://host:port[/db]");
  }
  if (c.session_idle > c.session_absolute) {
    return Bad("sessions.idle_seconds", "must not exceed absolute_seconds");
  }
  if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
      c.log_level != "error") {
    return Bad("log_level", "expected debug, info, warn or error");
  }
  return Ok();
}

std::string RedactedDatabase(const Config& c) {
  std::string_view db = AsChars(c.database.RevealBytes(InsecureSecretAccess()));
  if (db == "sqlite:") return "sqlite:" + c.data_dir + "/bulwark.db";
  if (db.starts_with("sqlite:")) return std::string(db);
  // postgres://user:pw@host/db?x -> postgres://host/db
  std::size_t scheme = db.find("://");
  std::string_view rest = db.substr(scheme + 3);
  std::size_t at = rest.find('@');
  std::size_t slash = rest.find('/');
  if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash)) {
    rest = rest.substr(at + 1);
  }
  std::size_t q = rest.find('?');
  if (q != std::string_view::npos) rest = rest.substr(0, q);
  return std::string(db.substr(0, scheme + 3)) + std::string(rest);
}

}  // namespace bulwark::service
