#include "bulwark/db/roles.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>
#include <string>
#include <vector>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/random.h"

namespace bulwark::db {
namespace {

bool ValidName(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter = (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (i == 0 ? !letter : !(letter || digit)) return false;
  }
  return s.rfind("pg_", 0) != 0;
}

bool ValidPassword(const SecretString& p) {
  const std::string& s = p.Reveal(InsecureSecretAccess());
  if (s.size() < 16 || s.size() > 200) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

bool VerifierIsSafe(std::string_view v) {
  for (char c : v) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=' || c == '$' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string Quote(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('"');
  out.append(name);
  out.push_back('"');
  return out;
}

}  // namespace

std::string ScramSha256Verifier(const SecretString& password) {
  constexpr int kIterations = 4096;
  const Bytes salt = crypto::RandomBytes(16);
  const std::string& pw = password.Reveal(InsecureSecretAccess());
  std::array<unsigned char, 32> salted{};
  PKCS5_PBKDF2_HMAC(pw.data(), static_cast<int>(pw.size()), salt.data(), static_cast<int>(salt.size()),
                    kIterations, EVP_sha256(), static_cast<int>(salted.size()), salted.data());
  auto hmac = [&](std::string_view label) {
    std::array<unsigned char, 32> out{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), salted.data(), static_cast<int>(salted.size()),
         reinterpret_cast<const unsigned char*>(label.data()), label.size(), out.data(), &len);
    return out;
  };
  const auto client_key = hmac("Client Key");
  const auto server_key = hmac("Server Key");
  std::array<unsigned char, 32> stored_key{};
  SHA256(client_key.data(), client_key.size(), stored_key.data());
  SecureWipe(salted.data(), salted.size());
  return "SCRAM-SHA-256$" + std::to_string(kIterations) + ":" + Base64Encode(salt) + "$" +
         Base64Encode(ByteView(stored_key.data(), stored_key.size())) + ":" +
         Base64Encode(ByteView(server_key.data(), server_key.size()));
}

Result<void> SetupPostgresRoles(Database& admin, const RoleOptions& o) {
  if (admin.backend() != Backend::kPostgres) {
    return Error(ErrorCode::kFailedPrecondition, "roles: only PostgreSQL has roles");
  }
  if (!ValidName(o.owner_role) || !ValidName(o.app_role) || !ValidName(o.schema) ||
      o.owner_role == o.app_role) {
    return Error(ErrorCode::kInvalidArgument,
                 "roles: role and schema names must match [a-z_][a-z0-9_]{0,62}, not start with "
                 "pg_, and the two roles must differ");
  }
  if (!ValidPassword(o.owner_password) || !ValidPassword(o.app_password)) {
    return Error(ErrorCode::kInvalidArgument,
                 "roles: passwords must be 16 to 200 printable ASCII characters");
  }
  BULWARK_ASSIGN_OR_RETURN(Row dbrow, admin.QueryRow("SELECT current_database()"));
  BULWARK_ASSIGN_OR_RETURN(std::string database, dbrow.Get<std::string>(0));
  if (database.find('"') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, "roles: unsupported database name");
  }
  const std::string owner = Quote(o.owner_role);
  const std::string app = Quote(o.app_role);
  const std::string schema = Quote(o.schema);
  const std::string db = Quote(database);
  constexpr const char* kLimits = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";

  BULWARK_ASSIGN_OR_RETURN(Transaction tx, admin.Begin());
  auto exec = [&](const std::string& text) -> Result<void> {
    // Text built only from checked identifiers and SCRAM verifiers.
    Result<std::int64_t> r = tx.Execute(sql::UnsafeDynamic(text));
    if (!r.ok()) return std::move(r).error();
    return Ok();
  };
  for (const auto& [name, quoted, password, extra] :
       {std::tuple{o.owner_role, owner, &o.owner_password, ""},
        std::tuple{o.app_role, app, &o.app_password, " NOINHERIT"}}) {
    const std::string verifier = ScramSha256Verifier(*password);
    if (!VerifierIsSafe(verifier)) return Error(ErrorCode::kInternal, "roles: bad verifier");
    BULWARK_ASSIGN_OR_RETURN(Rows existing,
                             tx.Query("SELECT 1 FROM pg_roles WHERE rolname = ?", name));
    const std::string verb = existing.empty() ? "CREATE ROLE " : "ALTER ROLE ";
    BULWARK_RETURN_IF_ERROR(
        exec(verb + quoted + kLimits + extra + " PASSWORD '" + verifier + "'"));
  }
  const std::vector<std::string> statements = {
      "REVOKE ALL ON DATABASE " + db + " FROM PUBLIC",
      "GRANT CONNECT ON DATABASE " + db + " TO " + owner + ", " + app,
      "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
      "CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + owner,
      "ALTER SCHEMA " + schema + " OWNER TO " + owner,
      "REVOKE ALL ON SCHEMA " + schema + " FROM PUBLIC",
      "GRANT USAGE ON SCHEMA " + schema + " TO " + app,
      "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA " + schema +
          " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + app,
      "ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA " + schema +
          " GRANT USAGE, SELECT ON SEQUENCES TO " + app,
      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + app,
      "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + app,
      "ALTER ROLE " + owner + " SET search_path = " + schema,
      "ALTER ROLE " + app + " SET search_path = " + schema,
  };
  for (const std::string& s : statements) BULWARK_RETURN_IF_ERROR(exec(s));
  // Append-only tables, when the migrations have created them.
  BULWARK_ASSIGN_OR_RETURN(
      Rows tables,
      tx.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND "
               "table_name IN ('bulwark_change_log', 'bulwark_schema_migrations')",
               o.schema));
  for (const Row& row : tables) {
    BULWARK_ASSIGN_OR_RETURN(std::string table, row.Get<std::string>(0));
    const std::string qualified = schema + "." + Quote(table);
    BULWARK_RETURN_IF_ERROR(exec("REVOKE UPDATE, DELETE, TRUNCATE ON " + qualified + " FROM " + app));
    if (table == "bulwark_schema_migrations") {
      BULWARK_RETURN_IF_ERROR(exec("REVOKE INSERT ON " + qualified + " FROM " + app));
    }
  }
  return tx.Commit();
}

}  // namespace bulwark::db
