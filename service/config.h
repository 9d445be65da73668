#pragma once
// Config: everything `bulwark serve` needs to start, from (in increasing
// precedence) built-in defaults, a TOML file, BULWARK_* environment variables
// and command-line flags. Check() refuses unsafe combinations before anything
// is opened or bound.
//
// Thread-safety: a value type, read-only after start-up.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"

namespace bulwark::service {

struct Config {
  // Where to listen (host:port; [v6]:port). Port 0 picks a free port.
  std::string listen = "127.0.0.1:8080";
  // Data directory (SQLite file, master key, keysets, audit anchors), 0700.
  // Default: $XDG_DATA_HOME/bulwark or ~/.local/share/bulwark.
  std::string data_dir;
  // "sqlite:" (the file bulwark.db in data_dir), "sqlite:/path/file.db", or
  // a PostgreSQL URL (postgres://... / postgresql://...). May hold a password.
  SecretString database = SecretString::CopyFrom(AsBytes("sqlite:"));
  // redis://host:port[/db] for rate limits shared by several instances.
  std::string redis;
  // Master key source: file:PATH | env:NAME | credential:NAME; empty: the
  // file master.key in data_dir, created (0600) on first start.
  std::string master_key;
  std::string tls_cert;  // PEM chain
  std::string tls_key;   // PEM private key (0600)
  // Plain HTTP on a non-loopback address is refused unless this is set
  // (TLS terminates at a proxy in front); then list the proxy addresses.
  bool behind_proxy = false;
  std::vector<std::string> trusted_proxies;
  // The `iss` of access tokens and the public base URL. Default: from listen.
  std::string issuer;
  std::size_t threads = 4;
  // Global per-client request rate (all routes).
  std::uint32_t rate_limit_per_minute = 1200;
  std::uint32_t rate_limit_burst = 200;
  // Connections open at once from one client address (IPv6: its /64);
  // trusted proxies are exempt. http::ServerLimits::max_connections_per_address.
  std::uint32_t connections_per_address = 512;
  // Accounts registered from one client address (IPv6: its /64): this many
  // at once, then this many per hour.
  std::uint32_t registrations_per_hour = 20;
  std::chrono::seconds access_token_ttl{900};
  std::chrono::seconds refresh_family_lifetime{30 * 24 * 3600};
  std::chrono::seconds session_idle{30 * 60};
  std::chrono::seconds session_absolute{12 * 3600};
  std::size_t hash_workers = 2;
  std::size_t hash_queue = 32;
  std::chrono::milliseconds hash_queue_timeout{1000};
  // Origins allowed to call the API cross-origin (CORS, with credentials off).
  std::vector<std::string> cors_origins;
  std::string log_level = "info";

  // Outbound webhooks ([webhooks]). The destination policy is https only,
  // port 443, public addresses only; the two unsafe_* switches exist for
  // tests against a local receiver and must stay off in production.
  std::size_t webhook_workers = 2;          // concurrent deliveries
  std::int64_t webhook_max_attempts = 6;    // then the delivery is "failed"
  std::chrono::seconds webhook_retry_base{30};  // backoff: base * 2^(attempt-1), capped
  std::chrono::seconds webhook_timeout{10};     // whole request, connect included
  std::int64_t webhook_max_per_account = 10;
  std::vector<std::uint16_t> webhook_allowed_ports;  // empty: 443 (and 80 with http)
  bool webhook_unsafe_allow_http_for_testing = false;
  bool webhook_unsafe_allow_loopback_for_testing = false;

  // File storage ([files]): blobs in <data_dir>/files, metadata in the database.
  // One upload; the HTTP server reads a whole body before routing, so this is
  // also the most any request body may make the server buffer.
  std::size_t files_max_bytes = std::size_t{1} << 20;
  std::int64_t files_quota_bytes = std::int64_t{100} << 20;  // per account
  std::int64_t files_max_per_account = 1000;
  // Free space uploads leave on the data directory's file system (for the
  // database and the audit trail); below it uploads get 507.
  std::int64_t files_min_free_bytes = std::int64_t{256} << 20;

  // Retention ([retention]; see retention.h): how long a credential that can
  // no longer be used, or a finished webhook delivery, stays in the database
  // before the purge deletes it, and how often the purge runs.
  // Sessions: 1 day past their end (a dead session serves nothing; the audit
  // trail keeps the history).
  std::chrono::seconds retention_sessions{1 * 86400};
  // Refresh families (with their tokens): 7 days past the family's absolute
  // expiry, never earlier: until then a replayed token of a revoked family
  // must still be recognised as that family's.
  std::chrono::seconds retention_refresh_families{7 * 86400};
  // API keys: 30 days after revocation or expiry, so a leaked revoked key
  // that is tried is still attributed to its account in the audit trail.
  std::chrono::seconds retention_api_keys{30 * 86400};
  // Finished (succeeded/failed) webhook deliveries: 30 days, for the
  // owner's delivery list.
  std::chrono::seconds retention_webhook_deliveries{30 * 86400};
  std::chrono::seconds retention_interval{3600};

  // Where each value came from is not tracked; these say whether a TLS pair
  // or a config file was given at all.
  std::string config_file;
};

struct CommandLine {
  std::string config;
  std::optional<std::string> listen, database, redis, tls_cert, tls_key, data_dir;
};

// Defaults < file < environment < flags. Errors: kInvalidArgument naming the
// setting (never its value), kNotFound for a missing config file,
// kPermissionDenied for a config file others can write.
Result<Config> LoadConfig(const CommandLine& flags);

// Refuses unsafe or contradictory settings (kFailedPrecondition with an
// operator-facing message).
Result<void> CheckConfig(const Config& config);

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
Result<ListenAddress> ParseListen(const std::string& listen);
bool IsLoopbackHost(const std::string& host);

// The database setting without any password (for logs).
std::string RedactedDatabase(const Config& config);
bool IsPostgresUrl(std::string_view url);

}  // namespace bulwark::service
