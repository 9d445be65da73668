/* Temporary files, permissions, key sizes and TLS versions in C. */
#include <fcntl.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

void temp_and_modes(const char *dir) {
  char tmpl[] = "/tmp/app-XXXXXX";
  /* ruleid: insecure-temp-file */
  char *name = tmpnam(NULL);
  /* ok: insecure-temp-file */
  int fd = mkstemp(tmpl);
  /* ruleid: permissive-file-permissions */
  chmod(name, 0777);
  /* ok: permissive-file-permissions */
  int out = open(name, O_WRONLY | O_CREAT, 0666); /* the umask applies */
  /* ruleid: permissive-file-permissions */
  chmod(dir, S_IRWXU | S_IRWXG | S_IRWXO);
  /* ok: permissive-file-permissions */
  chmod(dir, 0750);
  /* ok: permissive-file-permissions */
  mkdir(dir, 0777);
  int own = 0;
  (void)fd;
  (void)out;
  (void)own;
}

void keys_and_tls(RSA *rsa, BIGNUM *e, EVP_PKEY_CTX *ctx) {
  /* ruleid: weak-key-size */
  RSA_generate_key_ex(rsa, 1024, e, NULL);
  /* ok: weak-key-size */
  RSA_generate_key_ex(rsa, 3072, e, NULL);
  /* ruleid: weak-key-size */
  EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 512);
  /* ruleid: weak-tls-protocol */
  SSL_CTX *old = SSL_CTX_new(TLSv1_method());
  /* ok: weak-tls-protocol */
  SSL_CTX *cur = SSL_CTX_new(TLS_method());
  /* ruleid: weak-tls-protocol */
  SSL_CTX_set_min_proto_version(cur, TLS1_VERSION);
  /* ok: weak-tls-protocol */
  SSL_CTX_set_min_proto_version(cur, TLS1_2_VERSION);
  (void)old;
}

void pattern_from_input(regex_t *re, const char *query_string) {
  const char *pattern = getenv("PATTERN");
  /* ok: regex-injection */
  regcomp(re, pattern, REG_EXTENDED);
  /* ok: regex-injection */
  regcomp(re, "^[a-z]+$", REG_EXTENDED);
}
