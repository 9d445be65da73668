#pragma once
// Storage: opening the configured database and the service's schema.
//
// One schema text serves SQLite and PostgreSQL: TEXT and BIGINT columns only
// (flags are 0/1, times are Unix seconds, ciphertexts base64url), so the
// same statements run on both. Migrations are applied at start.

#include <memory>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/db/database.h"
#include "bulwark/db/migrate.h"
#include "config.h"

namespace bulwark::service {

// Opens SQLite (<data_dir>/bulwark.db by default) or PostgreSQL.
Result<db::Database> OpenDatabase(const Config& config, std::size_t max_connections);

// The service's migrations for `backend` (the audit trail's schema included).
std::vector<db::Migration> ServiceMigrations(db::Backend backend);

}  // namespace bulwark::service
