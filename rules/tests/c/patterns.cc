#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bulwark/db/query.h"

const char* current_format();  // defined elsewhere: unknown to the scan
const char* current_table();

void Hashes(const unsigned char* data, size_t n, unsigned char* out, EVP_MD_CTX* ctx) {
  // ruleid: weak-hash
  MD5(data, n, out);
  // ruleid: weak-hash
  EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
  // ok: weak-hash
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  // ruleid: weak-cipher
  const EVP_CIPHER* c = EVP_aes_128_ecb();
  // ok: weak-cipher
  const EVP_CIPHER* g = EVP_aes_256_gcm();
  (void)c;
  (void)g;
}

void Strings(char* dst, const char* src, const char* name) {
  // ruleid: banned-c-function
  strcpy(dst, src);
  // ok: banned-c-function
  strcpy(dst, "fixed");
  // ruleid: banned-c-function
  sprintf(dst, "hello %s", name);
  // ok: banned-c-function
  snprintf(dst, 16, "hello %s", name);
  // ruleid: non-literal-format
  printf(current_format());
  // ok: non-literal-format
  printf("%s", name);
  // The caller's argument: judged where the caller's value is known.
  // ok: non-literal-format
  printf(name);
  char fixed[32];
  strcpy(fixed, "fixed text");
  // ok: non-literal-format
  printf(fixed);
  // ruleid: banned-c-function
  strcat(fixed, current_format());
  // ruleid: non-literal-format
  printf(fixed);
}

int Token() {
  // ruleid: insecure-random
  return rand();
}

void Tls(CURL* curl) {
  // ruleid: tls-verification-disabled
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
  // ok: tls-verification-disabled
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
}

void Sql(sqlite3* db) {
  char q[128];
  snprintf(q, sizeof q, "SELECT * FROM %s", current_table());
  // ruleid: non-literal-sql
  sqlite3_exec(db, q, nullptr, nullptr, nullptr);
  // ok: non-literal-sql
  sqlite3_exec(db, "SELECT 1", nullptr, nullptr, nullptr);
}

void Escape(bulwark::db::Database& db, const std::string& text) {
  // ruleid: bulwark-escape-hatch
  auto q = bulwark::sql::UnsafeDynamic(text);
  // ok: bulwark-escape-hatch
  auto r = bulwark::sql::Query("SELECT 1");
  // ruleid: hardcoded-secret
  const char* db_password = "correct-horse-battery";
  (void)q;
  (void)r;
  (void)db_password;
}

struct MYSQL;
MYSQL* mysql_real_connect(MYSQL*, const char*, const char*, const char*, const char*, unsigned, const char*,
                          unsigned long);

void Connect(MYSQL* db) {
  char pass[64];
  std::strcpy(pass, "s3cr3t-pass");
  // ruleid: hardcoded-password
  mysql_real_connect(db, "db", "app", pass, "app", 3306, nullptr, 0);
  char from_env[64];
  // ruleid: banned-c-function
  std::strcpy(from_env, std::getenv("DB_PASS"));
  // ok: hardcoded-secret
  mysql_real_connect(db, "db", "app", from_env, "app", 3306, nullptr, 0);
}
