#include "bulwark/db/backup.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "internal.h"

extern char** environ;

namespace bulwark::db {
namespace {

constexpr char kMagic[8] = {'B', 'W', 'D', 'B', 'B', 'A', 'K', '1'};
constexpr std::size_t kPrefix = 12;  // magic | kind | 3 zero bytes
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kFrameMax = kChunk + crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kMaxWrapped = 1024;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Close();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  ~Fd() { Close(); }
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

Error Io(std::string_view what) {
  return Error(ErrorCode::kUnavailable, "backup: " + std::string(what) + " failed");
}
Error Corrupt(std::string_view what) {
  return Error(ErrorCode::kDataLoss, "backup: " + std::string(what));
}

Result<void> WriteAll(int fd, const std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Io("write");
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return Ok();
}

// Reads up to n bytes (fewer only at end of input).
Result<std::size_t> ReadFull(int fd, std::uint8_t* p, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, p + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return Io("read");
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}

Result<Fd> CreatePrivate(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Error(ErrorCode::kAlreadyExists, "backup: the output file already exists");
    }
    return Io("creating the output file");
  }
  return Fd(fd);
}

void PutU32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}
std::uint32_t GetU32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

Result<void> EncryptFd(int in, int out, BackupKind kind, const crypto::Aead& aead) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "backup: libsodium init failed");
  SecretBytes key = SecretBytes::CopyFrom(Bytes(crypto_secretstream_xchacha20poly1305_KEYBYTES));
  crypto_secretstream_xchacha20poly1305_keygen(key.RevealMutable(InsecureSecretAccess()).data());
  Bytes header(kPrefix + 4);
  std::memcpy(header.data(), kMagic, sizeof kMagic);
  header[8] = static_cast<std::uint8_t>(kind);
  BULWARK_ASSIGN_OR_RETURN(Bytes wrapped, aead.Encrypt(key.RevealBytes(InsecureSecretAccess()),
                                                       ByteView(header.data(), kPrefix)));
  PutU32(header.data() + kPrefix, static_cast<std::uint32_t>(wrapped.size()));
  header.insert(header.end(), wrapped.begin(), wrapped.end());
  crypto_secretstream_xchacha20poly1305_state state;
  std::array<std::uint8_t, crypto_secretstream_xchacha20poly1305_HEADERBYTES> ss_header{};
  crypto_secretstream_xchacha20poly1305_init_push(&state, ss_header.data(),
                                                  key.RevealBytes(InsecureSecretAccess()).data());
  header.insert(header.end(), ss_header.begin(), ss_header.end());
  BULWARK_RETURN_IF_ERROR(WriteAll(out, header.data(), header.size()));

  std::vector<std::uint8_t> plain(kChunk);
  std::vector<std::uint8_t> frame(4 + kFrameMax);
  bool first = true;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(std::size_t n, ReadFull(in, plain.data(), kChunk));
    const std::uint8_t tag = n < kChunk ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                        : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(&state, frame.data() + 4, &clen, plain.data(), n,
                                               first ? header.data() : nullptr,
                                               first ? header.size() : 0, tag);
    first = false;
    PutU32(frame.data(), static_cast<std::uint32_t>(clen));
    BULWARK_RETURN_IF_ERROR(WriteAll(out, frame.data(), 4 + static_cast<std::size_t>(clen)));
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) break;
  }
  sodium_memzero(plain.data(), plain.size());
  sodium_memzero(&state, sizeof state);
  if (::fsync(out) != 0) return Io("fsync");
  return Ok();
}

Result<void> DecryptFd(int in, int out, BackupKind expected, const crypto::Aead& aead) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "backup: libsodium init failed");
  Bytes header(kPrefix + 4);
  BULWARK_ASSIGN_OR_RETURN(std::size_t got, ReadFull(in, header.data(), header.size()));
  if (got != header.size() || std::memcmp(header.data(), kMagic, sizeof kMagic) != 0) {
    return Error(ErrorCode::kInvalidArgument, "backup: not a bulwark backup file");
  }
  if (header[8] != static_cast<std::uint8_t>(expected) || header[9] != 0 || header[10] != 0 ||
      header[11] != 0) {
    return Error(ErrorCode::kInvalidArgument, "backup: a backup of another kind or version");
  }
  const std::uint32_t wrapped_len = GetU32(header.data() + kPrefix);
  if (wrapped_len == 0 || wrapped_len > kMaxWrapped) return Corrupt("malformed header");
  Bytes wrapped(wrapped_len);
  BULWARK_ASSIGN_OR_RETURN(got, ReadFull(in, wrapped.data(), wrapped.size()));
  if (got != wrapped.size()) return Corrupt("truncated header");
  BULWARK_ASSIGN_OR_RETURN(SecretBytes key, aead.DecryptSecret(wrapped, ByteView(header.data(), kPrefix)));
  if (key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES) return Corrupt("malformed key");
  header.insert(header.end(), wrapped.begin(), wrapped.end());
  std::array<std::uint8_t, crypto_secretstream_xchacha20poly1305_HEADERBYTES> ss_header{};
  BULWARK_ASSIGN_OR_RETURN(got, ReadFull(in, ss_header.data(), ss_header.size()));
  if (got != ss_header.size()) return Corrupt("truncated header");
  header.insert(header.end(), ss_header.begin(), ss_header.end());
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(
          &state, ss_header.data(), key.RevealBytes(InsecureSecretAccess()).data()) != 0) {
    return Corrupt("malformed stream header");
  }
  std::vector<std::uint8_t> frame(kFrameMax);
  std::vector<std::uint8_t> plain(kChunk);
  bool first = true;
  while (true) {
    std::uint8_t len_bytes[4];
    BULWARK_ASSIGN_OR_RETURN(got, ReadFull(in, len_bytes, 4));
    if (got != 4) return Corrupt("truncated (the final chunk is missing)");
    const std::uint32_t len = GetU32(len_bytes);
    if (len < crypto_secretstream_xchacha20poly1305_ABYTES || len > kFrameMax) {
      return Corrupt("malformed chunk");
    }
    BULWARK_ASSIGN_OR_RETURN(got, ReadFull(in, frame.data(), len));
    if (got != len) return Corrupt("truncated chunk");
    unsigned long long plen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&state, plain.data(), &plen, &tag, frame.data(),
                                                   len, first ? header.data() : nullptr,
                                                   first ? header.size() : 0) != 0) {
      return Corrupt("authentication failed (tampered or wrong key)");
    }
    first = false;
    BULWARK_RETURN_IF_ERROR(WriteAll(out, plain.data(), static_cast<std::size_t>(plen)));
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) break;
    if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) return Corrupt("unexpected chunk tag");
  }
  std::uint8_t extra = 0;
  BULWARK_ASSIGN_OR_RETURN(got, ReadFull(in, &extra, 1));
  if (got != 0) return Corrupt("data after the final chunk");
  sodium_memzero(plain.data(), plain.size());
  sodium_memzero(&state, sizeof state);
  if (::fsync(out) != 0) return Io("fsync");
  return Ok();
}

// A private temporary file next to `near` (in its directory).
Result<std::filesystem::path> TempFileNear(const std::filesystem::path& near) {
  std::filesystem::path dir = near.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / (near.filename().string() + ".bulwark-tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return Io("creating a temporary file");
  ::fchmod(fd, 0600);
  ::close(fd);
  return std::filesystem::path(tmpl);
}

struct Unlinker {
  std::filesystem::path path;
  ~Unlinker() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

Result<void> SqliteCopy(const std::filesystem::path& from, const std::filesystem::path& to,
                        bool check_source) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto close_all = [&] {
    sqlite3_close_v2(src);
    sqlite3_close_v2(dst);
  };
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr) !=
      SQLITE_OK) {
    close_all();
    return Error(ErrorCode::kUnavailable, "backup: cannot open the source database");
  }
  sqlite3_busy_timeout(src, 5000);
  if (check_source) {
    std::string verdict;
    const int rc = sqlite3_exec(
        src, "PRAGMA integrity_check",
        [](void* out, int n, char** v, char**) {
          if (n > 0 && v[0] != nullptr) *static_cast<std::string*>(out) += v[0];
          return 0;
        },
        &verdict, nullptr);
    if (rc != SQLITE_OK || verdict != "ok") {
      close_all();
      return Corrupt("the restored file is not an intact SQLite database");
    }
  }
  if (sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr) !=
      SQLITE_OK) {
    close_all();
    return Error(ErrorCode::kUnavailable, "backup: cannot open the destination database");
  }
  sqlite3_busy_timeout(dst, 5000);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) {
    close_all();
    return Error(ErrorCode::kUnavailable, "backup: sqlite3_backup_init failed");
  }
  int rc;
  do {
    rc = sqlite3_backup_step(b, 1024);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  const int finish = sqlite3_backup_finish(b);
  close_all();
  if (rc != SQLITE_DONE || finish != SQLITE_OK) {
    return Error(ErrorCode::kUnavailable, "backup: the SQLite backup did not complete");
  }
  return Ok();
}

// libpq connection settings -> the environment of pg_dump/pg_restore.
Result<std::vector<std::string>> PgEnvironment(const SecretString& conninfo, std::string* dbname) {
  char* err = nullptr;
  PQconninfoOption* parsed =
      PQconninfoParse(conninfo.Reveal(InsecureSecretAccess()).c_str(), &err);
  if (parsed == nullptr) {
    if (err != nullptr) PQfreemem(err);
    return Error(ErrorCode::kInvalidArgument, "backup: connection string does not parse");
  }
  static constexpr std::pair<const char*, const char*> kMap[] = {
      {"host", "PGHOST"},         {"hostaddr", "PGHOSTADDR"},   {"port", "PGPORT"},
      {"dbname", "PGDATABASE"},   {"user", "PGUSER"},           {"password", "PGPASSWORD"},
      {"sslmode", "PGSSLMODE"},   {"sslrootcert", "PGSSLROOTCERT"}, {"sslcert", "PGSSLCERT"},
      {"sslkey", "PGSSLKEY"},     {"connect_timeout", "PGCONNECT_TIMEOUT"},
  };
  std::vector<std::string> env = {"PATH=/usr/bin:/bin", "PGAPPNAME=bulwark-backup"};
  for (PQconninfoOption* o = parsed; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    for (const auto& [kw, var] : kMap) {
      if (std::strcmp(o->keyword, kw) == 0) env.push_back(std::string(var) + "=" + o->val);
    }
    if (std::strcmp(o->keyword, "dbname") == 0 && dbname != nullptr) *dbname = o->val;
  }
  PQconninfoFree(parsed);
  return env;
}

Result<void> RunTool(const std::vector<std::string>& argv, std::vector<std::string>& env,
                     int stdout_fd) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdout_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Error(ErrorCode::kUnavailable, "backup: cannot start " + argv[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Io("waitpid");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error(ErrorCode::kUnavailable,
                 "backup: " + std::filesystem::path(argv[0]).filename().string() + " failed");
  }
  return Ok();
}

void WipeEnv(std::vector<std::string>& env) {
  for (std::string& e : env) SecureWipe(e.data(), e.size());
}

}  // namespace

Result<void> EncryptFileForBackup(const std::filesystem::path& in, const std::filesystem::path& out,
                                  BackupKind kind, const crypto::Aead& aead) {
  Fd src(::open(in.c_str(), O_RDONLY | O_CLOEXEC));
  if (src.get() < 0) return Error(ErrorCode::kNotFound, "backup: cannot open the input");
  BULWARK_ASSIGN_OR_RETURN(Fd dst, CreatePrivate(out));
  Result<void> r = EncryptFd(src.get(), dst.get(), kind, aead);
  if (!r.ok()) ::unlink(out.c_str());
  return r;
}

Result<void> DecryptBackupFile(const std::filesystem::path& in, const std::filesystem::path& out,
                               BackupKind expected_kind, const crypto::Aead& aead) {
  Fd src(::open(in.c_str(), O_RDONLY | O_CLOEXEC));
  if (src.get() < 0) return Error(ErrorCode::kNotFound, "backup: cannot open the backup file");
  BULWARK_ASSIGN_OR_RETURN(Fd dst, CreatePrivate(out));
  Result<void> r = DecryptFd(src.get(), dst.get(), expected_kind, aead);
  if (!r.ok()) ::unlink(out.c_str());
  return r;
}

Result<void> BackupSqlite(const std::filesystem::path& db_path, const std::filesystem::path& out,
                          const crypto::Aead& aead) {
  // The plaintext copy lives next to the database (same private directory).
  BULWARK_ASSIGN_OR_RETURN(std::filesystem::path tmp, TempFileNear(db_path));
  Unlinker cleanup{tmp};
  BULWARK_RETURN_IF_ERROR(SqliteCopy(db_path, tmp, /*check_source=*/false));
  return EncryptFileForBackup(tmp, out, BackupKind::kSqliteFile, aead);
}

Result<void> RestoreSqlite(const std::filesystem::path& backup, const std::filesystem::path& db_path,
                           const crypto::Aead& aead) {
  // Create (or check) the target first: private file in a private directory.
  {
    SqliteOptions o;
    o.path = db_path;
    o.pool.max_connections = 1;
    Result<Database> target = Database::OpenSqlite(std::move(o));
    if (!target.ok()) return std::move(target).error();
  }
  std::filesystem::path tmp = db_path;
  tmp += ".bulwark-restore";
  ::unlink(tmp.c_str());
  Unlinker cleanup{tmp};
  BULWARK_RETURN_IF_ERROR(DecryptBackupFile(backup, tmp, BackupKind::kSqliteFile, aead));
  return SqliteCopy(tmp, db_path, /*check_source=*/true);
}

Result<void> BackupPostgres(const SecretString& conninfo, const std::filesystem::path& out,
                            const crypto::Aead& aead, const PgToolOptions& tools) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> env, PgEnvironment(conninfo, nullptr));
  BULWARK_ASSIGN_OR_RETURN(Fd dst, CreatePrivate(out));
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ::unlink(out.c_str());
    return Io("pipe");
  }
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);
  std::vector<std::string> argv = {(tools.bin_dir / "pg_dump").string(), "--format=custom",
                                   "--no-password"};
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  WipeEnv(env);
  write_end.Close();
  if (rc != 0) {
    ::unlink(out.c_str());
    return Error(ErrorCode::kUnavailable, "backup: cannot start pg_dump");
  }
  Result<void> encrypted = EncryptFd(read_end.get(), dst.get(), BackupKind::kPgDumpCustom, aead);
  read_end.Close();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!encrypted.ok() || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ::unlink(out.c_str());
    if (!encrypted.ok()) return encrypted;
    return Error(ErrorCode::kUnavailable, "backup: pg_dump failed");
  }
  return Ok();
}

Result<void> RestorePostgres(const std::filesystem::path& backup, const SecretString& conninfo,
                             const crypto::Aead& aead, const PgToolOptions& tools) {
  std::string dbname;
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> env, PgEnvironment(conninfo, &dbname));
  std::string dir_tmpl = (std::filesystem::temp_directory_path() / "bulwark-restore.XXXXXX").string();
  if (::mkdtemp(dir_tmpl.data()) == nullptr) return Io("creating a private temporary directory");
  const std::filesystem::path dir(dir_tmpl);
  const std::filesystem::path dump = dir / "dump";
  struct DirCleanup {
    std::filesystem::path dir;
    ~DirCleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};
  Result<void> decrypted = DecryptBackupFile(backup, dump, BackupKind::kPgDumpCustom, aead);
  if (!decrypted.ok()) {
    WipeEnv(env);
    return decrypted;
  }
  std::vector<std::string> argv = {(tools.bin_dir / "pg_restore").string(),
                                   "--single-transaction", "--exit-on-error", "--clean",
                                   "--if-exists", "--no-owner", "--no-password"};
  if (!dbname.empty()) {
    argv.push_back("--dbname=" + dbname);
  }
  argv.push_back(dump.string());
  Result<void> ran = RunTool(argv, env, -1);
  WipeEnv(env);
  return ran;
}

}  // namespace bulwark::db
