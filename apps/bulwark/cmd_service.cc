// bulwark serve | admin create | admin purge | audit verify: the account service.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "bulwark/audit/audit.h"
#include "cli_support.h"
#include "commands.h"
#include "config.h"
#include "service.h"

namespace bulwark::cli {
namespace {

struct ServiceFlags {
  service::CommandLine line;
  std::string listen, database, redis, tls_cert, tls_key, data_dir;
  std::string email, display_name = "Administrator";
  bool promote = false;
};

void AddCommon(CLI::App* cmd, ServiceFlags& f) {
  cmd->add_option("--config", f.line.config, "TOML configuration file (also $BULWARK_CONFIG)");
  cmd->add_option("--data-dir", f.data_dir, "Data directory (default ~/.local/share/bulwark)");
  cmd->add_option("--database", f.database,
                  "sqlite:, sqlite:/path/file.db or postgres://host/db (no password here: use "
                  "$BULWARK_DATABASE or the config file)");
}

service::Config LoadOrFail(ServiceFlags& f) {
  if (!f.listen.empty()) f.line.listen = f.listen;
  if (!f.database.empty()) f.line.database = f.database;
  if (!f.redis.empty()) f.line.redis = f.redis;
  if (!f.tls_cert.empty()) f.line.tls_cert = f.tls_cert;
  if (!f.tls_key.empty()) f.line.tls_key = f.tls_key;
  if (!f.data_dir.empty()) f.line.data_dir = f.data_dir;
  Result<service::Config> config = service::LoadConfig(f.line);
  if (!config.ok()) Fail(config.error());
  return std::move(config).value();
}

void Setup(CLI::App& app) {
  auto f = std::make_shared<ServiceFlags>();
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the account service (default: 127.0.0.1:8080, SQLite in the data directory)");
  AddCommon(serve, *f);
  serve->add_option("--listen", f->listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--redis", f->redis, "redis://host:port for rate limits shared by instances");
  serve->add_option("--tls-cert", f->tls_cert, "PEM certificate chain (with --tls-key)");
  serve->add_option("--tls-key", f->tls_key, "PEM private key, mode 0600 (with --tls-cert)");
  serve->callback([f] {
    service::Config config = LoadOrFail(*f);
    Result<std::unique_ptr<service::Service>> s = service::Service::Create(std::move(config), true);
    if (!s.ok()) Fail(s.error());
    Result<void> served = (*s)->Serve();
    if (!served.ok()) Fail(served.error());
    throw Exit{kExitOk};
  });

  CLI::App* admin = app.add_subcommand("admin", "Administer the account service");
  admin->require_subcommand(1);
  CLI::App* create = admin->add_subcommand(
      "create", "Create an administrator account (password read from stdin, never from a flag)");
  AddCommon(create, *f);
  create->add_option("--email", f->email, "Email address of the administrator")->required();
  create->add_option("--display-name", f->display_name, "Display name");
  create->add_flag("--promote", f->promote, "Make an existing account an administrator");
  create->callback([f] {
    service::Config config = LoadOrFail(*f);
    SecretString password;
    if (!f->promote) {
      Result<SecretString> p = ReadPasswordLine("Password for " + f->email + ": ", 1024);
      if (!p.ok()) Fail(p.error());
      password = std::move(p).value();
    }
    Result<std::string> id =
        service::CreateAdmin(std::move(config), f->email, password, f->display_name, f->promote);
    if (!id.ok()) Fail(id.error());
    std::printf("administrator %s (id %s)\n", f->promote ? "promoted" : "created", id->c_str());
    throw Exit{kExitOk};
  });

  CLI::App* purge = admin->add_subcommand(
      "purge",
      "Delete expired and revoked credentials past their retention now ([retention] settings; "
      "`bulwark serve` also does this every retention interval)");
  AddCommon(purge, *f);
  purge->callback([f] {
    service::Config config = LoadOrFail(*f);
    Result<service::PurgeCounts> counts = service::PurgeNow(config);
    if (!counts.ok()) Fail(counts.error());
    std::printf("purged %s\n", counts->ToString().c_str());
    throw Exit{kExitOk};
  });

  CLI::App* audit_cmd = app.add_subcommand("audit", "The account service's audit trail");
  audit_cmd->require_subcommand(1);
  CLI::App* verify = audit_cmd->add_subcommand(
      "verify", "Check the audit chain: exit 0 intact, 1 broken (names the first bad record), 2 error");
  AddCommon(verify, *f);
  verify->callback([f] {
    service::Config config = LoadOrFail(*f);
    Result<audit::VerifyReport> report = service::VerifyAudit(config);
    if (!report.ok()) Fail(report.error());
    if (report->ok) {
      std::printf("audit trail intact: %lld records\n", static_cast<long long>(report->records));
      throw Exit{kExitOk};
    }
    std::printf("audit trail BROKEN at record %lld: %s (%lld records checked)\n",
                static_cast<long long>(report->first_bad_seq),
                std::string(audit::ChainProblemName(report->problem)).c_str(),
                static_cast<long long>(report->records));
    throw Exit{kExitFindings};
  });
}

const CommandRegistration kRegistration("serve", Setup);

}  // namespace
}  // namespace bulwark::cli
