/* Windows CryptoAPI / CNG algorithm ids and OpenSSL keys from literals. */
#include <string.h>
#include <windows.h>
#include <wincrypt.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define APP_KEY "0123456789abcdef"

int hash_password(HCRYPTPROV prov, const char *password) {
  HCRYPTHASH hash = 0;
  /* ruleid: weak-hash */
  if (!CryptCreateHash(prov, CALG_MD5, 0, 0, &hash)) return 0;
  CryptHashData(hash, (BYTE *)password, (DWORD)strlen(password), 0);
  CryptDestroyHash(hash);
  /* ruleid: weak-hash */
  CryptCreateHash(prov, CALG_SHA1, 0, 0, &hash);
  /* ok: weak-hash */
  CryptCreateHash(prov, CALG_SHA_512, 0, 0, &hash);
  return 1;
}

int derive_key(HCRYPTPROV prov, HCRYPTHASH hash, const char *secret) {
  HCRYPTKEY key = 0;
  /* ruleid: weak-cipher */
  CryptDeriveKey(prov, CALG_DES, hash, 0, &key);
  /* ruleid: weak-cipher */
  CryptGenKey(prov, CALG_RC4, 0, &key);
  /* ok: weak-cipher */
  CryptDeriveKey(prov, CALG_AES_256, hash, 0, &key);
  (void)secret;
  return 1;
}

void cng_providers(void) {
  BCRYPT_ALG_HANDLE alg;
  /* ruleid: weak-hash */
  BCryptOpenAlgorithmProvider(&alg, BCRYPT_MD5_ALGORITHM, NULL, 0);
  /* ruleid: weak-cipher */
  BCryptOpenAlgorithmProvider(&alg, BCRYPT_DES_ALGORITHM, NULL, 0);
  /* ok: weak-hash, weak-cipher */
  BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, 0);
}

void keyed_from_literal(HCRYPTHASH hash, const char *from_config) {
  char key[64];
  strcpy(key, APP_KEY);
  /* ruleid: hardcoded-crypto-key */
  CryptHashData(hash, (BYTE *)key, (DWORD)strlen(key), 0);
  /* ok: hardcoded-crypto-key */
  CryptHashData(hash, (BYTE *)from_config, (DWORD)strlen(from_config), 0);
}

void openssl_keys(EVP_CIPHER_CTX *ctx, const unsigned char *key, const unsigned char *iv, unsigned char *mac,
                  unsigned int *mac_len, const unsigned char *msg, size_t n) {
  /* ok: hardcoded-secret */
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL);
  /* ok: hardcoded-secret */
  EVP_EncryptInit_ex(ctx, NULL, NULL, key, iv);
  /* ruleid: hardcoded-crypto-key */
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, (const unsigned char *)"0123456789abcdef0123456789abcdef", iv);
  /* ruleid: hardcoded-crypto-key */
  HMAC(EVP_sha256(), "not-a-secret-at-all", 19, msg, n, mac, mac_len);
  /* ok: hardcoded-secret */
  HMAC(EVP_sha256(), key, 32, msg, n, mac, mac_len);
}
