#pragma once
// Least privilege on PostgreSQL: an owner role that owns the schema and runs
// migrations, and an application role that can only read and write rows.
//
//   owner: LOGIN, no superuser/createdb/createrole/replication/bypassrls;
//          owns schema `schema`; search_path = schema.
//   app:   LOGIN, same restrictions, NOINHERIT; USAGE on the schema and
//          SELECT/INSERT/UPDATE/DELETE on its tables (now and, through default
//          privileges, on tables the owner creates later), USAGE/SELECT on
//          sequences; no CREATE anywhere, no TEMPORARY, owns nothing.
//          Append-only tables stay append-only: on bulwark_change_log the app
//          may only INSERT and SELECT, on bulwark_schema_migrations only SELECT.
//   PUBLIC loses CONNECT/TEMPORARY on the database and CREATE on schema public.
// Passwords never appear in SQL text: a SCRAM-SHA-256 verifier is computed
// here and only the verifier is sent. SetupPostgresRoles is idempotent; run it
// again after migrations to apply the append-only rules to new tables.
//
// Thread-safety: thread-safe.

#include <string>

#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/db/database.h"

namespace bulwark::db {

struct RoleOptions {
  std::string owner_role = "bulwark_owner";
  SecretString owner_password;  // 16..200 printable ASCII characters
  std::string app_role = "bulwark_app";
  SecretString app_password;
  std::string schema = "bulwark";
};

// Runs as a superuser (or a role with CREATEROLE that owns the database) on
// the target database. Errors: kInvalidArgument (names must match
// [a-z_][a-z0-9_]{0,62}; weak passwords), kFailedPrecondition (not PostgreSQL),
// database errors.
Result<void> SetupPostgresRoles(Database& admin, const RoleOptions& options);

// SCRAM-SHA-256 verifier for `password` (PostgreSQL's stored format), with a
// random salt and 4096 iterations. REQUIRES: printable ASCII password.
std::string ScramSha256Verifier(const SecretString& password);

}  // namespace bulwark::db
