// db benchmark: insert and point-select throughput through bulwark vs the raw
// C APIs (sqlite3, libpq) in the same run, with the same settings, and the
// ratio bulwark/raw at the end (goal >= 0.9).
//
//   build/<dir>/src/db/db_bench                    (SQLite only)
//   BULWARK_TEST_PG_URL=postgresql://... db_bench  (SQLite and PostgreSQL)
//
// Instructions per operation (repeatable on a loaded machine): --iterations=N
// runs each selected benchmark once, for exactly N operations; under
// callgrind, the difference between N and 2N runs divided by N is the
// steady-state cost of one operation, without the set-up (table fill):
//
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/sel-2000.out
//       db_bench --iterations=2000 --benchmark_filter=SqlitePointSelect/bulwark
//   (and --iterations=4000 into /tmp/sel-4000.out)
//   (summary of 4000 - summary of 2000) / 2000; the same for .../raw

#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <map>
#include <vector>
#include <random>
#include <string>
#include <string_view>

#include "bulwark/db/database.h"

namespace {

using bulwark::db::Database;

constexpr int kRows = 10000;
constexpr int kBatch = 1000;  // inserts per transaction

std::filesystem::path TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "bulwark-db-bench.XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "db_bench: %s failed\n", what);
    std::abort();
  }
}

const std::string kBody(100, 'x');

// ---- SQLite

bulwark::db::SqliteOptions BenchSqliteOptions(const std::filesystem::path& path) {
  bulwark::db::SqliteOptions o;
  o.path = path;
  o.synchronous_full = false;  // raw side uses the same: WAL + synchronous=NORMAL
  o.pool.max_connections = 1;
  return o;
}

sqlite3* RawSqlite(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  // NOMUTEX like bulwark's connections (each is used by one thread at a
  // time): the default serialized mode would lock a mutex in every
  // sqlite3_column_* call and make the reference slower than it need be.
  Check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) == SQLITE_OK,
        "sqlite open");
  Check(sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                     "PRAGMA secure_delete=ON; PRAGMA busy_timeout=5000;",
                     nullptr, nullptr, nullptr) == SQLITE_OK,
        "sqlite pragmas");
  return db;
}

void BM_SqliteInsert_Raw(benchmark::State& state) {
  const auto dir = TempDir();
  sqlite3* db = RawSqlite(dir / "raw.db");
  Check(sqlite3_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", nullptr, nullptr,
                     nullptr) == SQLITE_OK, "create");
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t(id, body) VALUES (?, ?)", -1, &ins, nullptr);
  std::int64_t id = 0;
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  for (auto _ : state) {
    sqlite3_bind_int64(ins, 1, ++id);
    sqlite3_bind_text(ins, 2, kBody.data(), static_cast<int>(kBody.size()), SQLITE_STATIC);
    Check(sqlite3_step(ins) == SQLITE_DONE, "insert");
    sqlite3_reset(ins);
    if (id % kBatch == 0) {
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
      sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    }
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_finalize(ins);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations());
}

void BM_SqliteInsert_Bulwark(benchmark::State& state) {
  const auto dir = TempDir();
  Database db = Database::OpenSqlite(BenchSqliteOptions(dir / "bw.db")).value();
  Check(db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").ok(), "create");
  std::int64_t id = 0;
  std::optional<bulwark::db::Transaction> tx(db.Begin().value());
  for (auto _ : state) {
    Check(tx->Execute("INSERT INTO t(id, body) VALUES (?, ?)", ++id, kBody).ok(), "insert");
    if (id % kBatch == 0) {
      Check(tx->Commit().ok(), "commit");
      tx.reset();
      tx.emplace(db.Begin().value());
    }
  }
  Check(tx->Commit().ok(), "commit");
  tx.reset();
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations());
}

void FillSqlite(sqlite3* db) {
  sqlite3_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL); BEGIN", nullptr,
               nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t(id, body) VALUES (?, ?)", -1, &ins, nullptr);
  for (int i = 1; i <= kRows; ++i) {
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_text(ins, 2, kBody.data(), static_cast<int>(kBody.size()), SQLITE_STATIC);
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
}

void BM_SqlitePointSelect_Raw(benchmark::State& state) {
  const auto dir = TempDir();
  sqlite3* db = RawSqlite(dir / "raw.db");
  FillSqlite(db);
  sqlite3_stmt* sel = nullptr;
  sqlite3_prepare_v2(db, "SELECT id, body FROM t WHERE id = ?", -1, &sel, nullptr);
  std::mt19937 rng(1);
  std::size_t bytes = 0;
  for (auto _ : state) {
    sqlite3_bind_int64(sel, 1, static_cast<std::int64_t>(rng() % kRows) + 1);
    Check(sqlite3_step(sel) == SQLITE_ROW, "select");
    // Copy the row out, as bulwark does.
    std::int64_t id = sqlite3_column_int64(sel, 0);
    std::string body(reinterpret_cast<const char*>(sqlite3_column_text(sel, 1)),
                     static_cast<std::size_t>(sqlite3_column_bytes(sel, 1)));
    bytes += body.size() + static_cast<std::size_t>(id > 0);
    sqlite3_reset(sel);
  }
  benchmark::DoNotOptimize(bytes);
  sqlite3_finalize(sel);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations());
}

void BM_SqlitePointSelect_Bulwark(benchmark::State& state) {
  const auto dir = TempDir();
  Database db = Database::OpenSqlite(BenchSqliteOptions(dir / "bw.db")).value();
  // Filled through the same connection, like the raw side (so both read with
  // the same WAL state).
  Check(db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").ok(), "create");
  {
    bulwark::db::Transaction tx = db.Begin().value();
    for (int i = 1; i <= kRows; ++i) {
      Check(tx.Execute("INSERT INTO t(id, body) VALUES (?, ?)", i, kBody).ok(), "fill");
    }
    Check(tx.Commit().ok(), "commit");
  }
  std::mt19937 rng(1);
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto row = db.QueryRow("SELECT id, body FROM t WHERE id = ?",
                           static_cast<std::int64_t>(rng() % kRows) + 1);
    Check(row.ok(), "select");
    std::int64_t id = row->Get<std::int64_t>(0).value();
    // The text is copied once, out of SQLite's buffer into the Row, and
    // moved out of it (the raw loop copies it once into a std::string).
    std::string body = std::move(*row).Take<std::string>(1).value();
    bytes += body.size() + static_cast<std::size_t>(id > 0);
  }
  benchmark::DoNotOptimize(bytes);
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations());
}

// ---- PostgreSQL

const char* PgUrl() { return std::getenv("BULWARK_TEST_PG_URL"); }

PGconn* RawPg() {
  // The same settings as the bulwark side: no TLS on loopback, statement timeout.
  const char* keys[] = {"dbname", "sslmode", "options", nullptr};
  const char* values[] = {PgUrl(), "disable", "-c statement_timeout=30000", nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  Check(PQstatus(c) == CONNECTION_OK, "libpq connect");
  return c;
}

void PgExec(PGconn* c, const char* sql) {
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexecParams(c, sql, 0, nullptr, nullptr, nullptr, nullptr, 0);
  Check(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK, sql);
  PQclear(r);
}

Database BulwarkPg() {
  bulwark::db::PostgresOptions o;
  o.conninfo = bulwark::SecretString::CopyFrom(bulwark::AsBytes(PgUrl()));
  o.ssl_mode = bulwark::db::SslMode::kDisable;  // loopback test server
  o.pool.max_connections = 1;
  return Database::OpenPostgres(std::move(o)).value();
}

void BM_PgInsert_Raw(benchmark::State& state) {
  if (PgUrl() == nullptr) return state.SkipWithError("BULWARK_TEST_PG_URL not set");
  PGconn* c = RawPg();
  PgExec(c, "DROP TABLE IF EXISTS bench_raw");
  PgExec(c, "CREATE TABLE bench_raw (id BIGINT PRIMARY KEY, body TEXT NOT NULL)");
  PGresult* p = PQprepare(c, "ins", "INSERT INTO bench_raw(id, body) VALUES ($1, $2)", 2, nullptr);
  PQclear(p);
  std::int64_t id = 0;
  PgExec(c, "BEGIN");
  for (auto _ : state) {
    const std::string ids = std::to_string(++id);
    const char* values[2] = {ids.c_str(), kBody.c_str()};
    PGresult* r = PQexecPrepared(c, "ins", 2, values, nullptr, nullptr, 0);
    Check(PQresultStatus(r) == PGRES_COMMAND_OK, "insert");
    PQclear(r);
    if (id % kBatch == 0) {
      PgExec(c, "COMMIT");
      PgExec(c, "BEGIN");
    }
  }
  PgExec(c, "COMMIT");
  PgExec(c, "DROP TABLE bench_raw");
  PQfinish(c);
  state.SetItemsProcessed(state.iterations());
}

void BM_PgInsert_Bulwark(benchmark::State& state) {
  if (PgUrl() == nullptr) return state.SkipWithError("BULWARK_TEST_PG_URL not set");
  Database db = BulwarkPg();
  Check(db.Execute("DROP TABLE IF EXISTS bench_bw").ok(), "drop");
  Check(db.Execute("CREATE TABLE bench_bw (id BIGINT PRIMARY KEY, body TEXT NOT NULL)").ok(), "create");
  std::int64_t id = 0;
  std::optional<bulwark::db::Transaction> tx(db.Begin().value());
  for (auto _ : state) {
    Check(tx->Execute("INSERT INTO bench_bw(id, body) VALUES (?, ?)", ++id, kBody).ok(), "insert");
    if (id % kBatch == 0) {
      Check(tx->Commit().ok(), "commit");
      tx.reset();
      tx.emplace(db.Begin().value());
    }
  }
  Check(tx->Commit().ok(), "commit");
  tx.reset();
  Check(db.Execute("DROP TABLE bench_bw").ok(), "drop");
  state.SetItemsProcessed(state.iterations());
}

void FillPg(PGconn* c, const char* table) {
  PgExec(c, (std::string("DROP TABLE IF EXISTS ") + table).c_str());
  PgExec(c, (std::string("CREATE TABLE ") + table + " (id BIGINT PRIMARY KEY, body TEXT NOT NULL)").c_str());
  PgExec(c, (std::string("INSERT INTO ") + table +
             " SELECT g, repeat('x', 100) FROM generate_series(1, " + std::to_string(kRows) + ") g")
                .c_str());
  PgExec(c, (std::string("ANALYZE ") + table).c_str());
}

void BM_PgPointSelect_Raw(benchmark::State& state) {
  if (PgUrl() == nullptr) return state.SkipWithError("BULWARK_TEST_PG_URL not set");
  PGconn* c = RawPg();
  FillPg(c, "bench_sel_raw");
  PQclear(PQprepare(c, "sel", "SELECT id, body FROM bench_sel_raw WHERE id = $1", 1, nullptr));
  std::mt19937 rng(1);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string ids = std::to_string(rng() % kRows + 1);
    const char* values[1] = {ids.c_str()};
    PGresult* r = PQexecPrepared(c, "sel", 1, values, nullptr, nullptr, 0);
    Check(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1, "select");
    std::int64_t id = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
    std::string body(PQgetvalue(r, 0, 1), static_cast<std::size_t>(PQgetlength(r, 0, 1)));
    bytes += body.size() + static_cast<std::size_t>(id > 0);
    PQclear(r);
  }
  benchmark::DoNotOptimize(bytes);
  PgExec(c, "DROP TABLE bench_sel_raw");
  PQfinish(c);
  state.SetItemsProcessed(state.iterations());
}

void BM_PgPointSelect_Bulwark(benchmark::State& state) {
  if (PgUrl() == nullptr) return state.SkipWithError("BULWARK_TEST_PG_URL not set");
  {
    PGconn* c = RawPg();
    FillPg(c, "bench_sel_bw");
    PQfinish(c);
  }
  Database db = BulwarkPg();
  std::mt19937 rng(1);
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto row = db.QueryRow("SELECT id, body FROM bench_sel_bw WHERE id = ?",
                           static_cast<std::int64_t>(rng() % kRows) + 1);
    Check(row.ok(), "select");
    std::int64_t id = row->Get<std::int64_t>(0).value();
    std::string body = std::move(*row).Take<std::string>(1).value();
    bytes += body.size() + static_cast<std::size_t>(id > 0);
  }
  benchmark::DoNotOptimize(bytes);
  Check(db.Execute("DROP TABLE bench_sel_bw").ok(), "drop");
  state.SetItemsProcessed(state.iterations());
}

// Raw and bulwark runs alternate (Raw, Bulwark, Raw, ...) so that load from
// other processes hits both sides alike; the ratio uses medians of wall-clock
// throughput, and of CPU time per operation.
constexpr int kRounds = 5;

// --iterations=N (0: timed rounds).
std::int64_t g_iterations = 0;
// Each timed round's minimum time: --benchmark_min_time=S when given (the
// library's flag does not reach benchmarks that set their own MinTime).
double g_min_time = 0.3;

void RegisterAll() {
  struct Pair {
    const char* name;
    void (*raw)(benchmark::State&);
    void (*bulwark)(benchmark::State&);
  };
  const Pair pairs[] = {
      {"SqliteInsert", BM_SqliteInsert_Raw, BM_SqliteInsert_Bulwark},
      {"SqlitePointSelect", BM_SqlitePointSelect_Raw, BM_SqlitePointSelect_Bulwark},
      {"PgInsert", BM_PgInsert_Raw, BM_PgInsert_Bulwark},
      {"PgPointSelect", BM_PgPointSelect_Raw, BM_PgPointSelect_Bulwark},
  };
  for (const Pair& p : pairs) {
    if (g_iterations > 0) {
      benchmark::RegisterBenchmark((std::string(p.name) + "/raw").c_str(), p.raw)
          ->UseRealTime()->Iterations(g_iterations);
      benchmark::RegisterBenchmark((std::string(p.name) + "/bulwark").c_str(), p.bulwark)
          ->UseRealTime()->Iterations(g_iterations);
      continue;
    }
    for (int round = 0; round < kRounds; ++round) {
      benchmark::RegisterBenchmark((std::string(p.name) + "/raw").c_str(), p.raw)
          ->UseRealTime()->MinTime(g_min_time);
      benchmark::RegisterBenchmark((std::string(p.name) + "/bulwark").c_str(), p.bulwark)
          ->UseRealTime()->MinTime(g_min_time);
    }
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Prints the usual table, then bulwark/raw ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred || run.iterations == 0) continue;
      std::string name = run.benchmark_name();
      name = name.substr(0, std::min(name.find("/min_time"), name.find("/iterations")));
      auto it = run.counters.find("items_per_second");
      if (it != run.counters.end()) rate_[name].push_back(it->second.value);
      cpu_[name].push_back(run.GetAdjustedCPUTime());
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nbulwark / raw, medians of %d alternating rounds (goal >= 0.90):\n",
                g_iterations > 0 ? 1 : kRounds);
    for (const char* name : {"SqliteInsert", "SqlitePointSelect", "PgInsert", "PgPointSelect"}) {
      const std::string raw = std::string(name) + "/raw";
      const std::string bw = std::string(name) + "/bulwark";
      if (rate_[raw].empty() || rate_[bw].empty()) {
        std::printf("  %-18s not run (filtered out, or no BULWARK_TEST_PG_URL for PostgreSQL)\n", name);
        continue;
      }
      const double raw_rate = Median(rate_[raw]);
      const double bw_rate = Median(rate_[bw]);
      const double raw_cpu = Median(cpu_[raw]);
      const double bw_cpu = Median(cpu_[bw]);
      std::printf("  %-18s raw %9.0f/s  bulwark %9.0f/s  throughput ratio %.2f  "
                  "(client CPU/op raw %.2f us, bulwark %.2f us)\n",
                  name, raw_rate, bw_rate, bw_rate / raw_rate, raw_cpu / 1000.0, bw_cpu / 1000.0);
    }
  }

 private:
  std::map<std::string, std::vector<double>> rate_;
  std::map<std::string, std::vector<double>> cpu_;
};

}  // namespace

int main(int argc, char** argv) {
  // Takes --iterations=N out of argv before the benchmark library sees it.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg.rfind("--iterations=", 0) == 0) {
      g_iterations = std::strtoll(argv[i] + 13, nullptr, 10);
      if (g_iterations <= 0) {
        std::fprintf(stderr, "db_bench: --iterations wants a positive number\n");
        return 2;
      }
    } else {
      if (arg.rfind("--benchmark_min_time=", 0) == 0) {
        g_min_time = std::strtod(argv[i] + 21, nullptr);
        if (!(g_min_time > 0)) g_min_time = 0.3;
      }
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  RegisterAll();
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
