// Instruction-count comparison of bulwark's Aead against the raw libsodium
// calls it wraps, for bench/run_aead_overhead.sh (valgrind callgrind). Counts
// do not depend on machine load, unlike wall time on a shared machine.
#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bulwark/crypto/aead.h"

namespace {

using namespace bulwark;

constexpr int kIterations = 2000;

[[gnu::noinline]] void SealBulwark(const crypto::Aead& aead, const Bytes& plain, const Bytes& ad) {
  for (int i = 0; i < kIterations; ++i) {
    Result<Bytes> ct = aead.Encrypt(plain, ad);
    if (!ct.ok()) std::abort();
  }
}

[[gnu::noinline]] void SealRaw(const unsigned char* key, const Bytes& plain, const Bytes& ad) {
  for (int i = 0; i < kIterations; ++i) {
    Bytes out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() +
              crypto_aead_xchacha20poly1305_ietf_ABYTES);
    randombytes_buf(out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &len, plain.data(),
        plain.size(), ad.data(), ad.size(), nullptr, out.data(), key);
  }
}

[[gnu::noinline]] void OpenBulwark(const crypto::Aead& aead, const Bytes& ct, const Bytes& ad) {
  for (int i = 0; i < kIterations; ++i) {
    Result<Bytes> pt = aead.Decrypt(ct, ad);
    if (!pt.ok()) std::abort();
  }
}

[[gnu::noinline]] void OpenRaw(const unsigned char* key, const Bytes& ct, const Bytes& ad) {
  const std::size_t n = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  for (int i = 0; i < kIterations; ++i) {
    Bytes out(ct.size() - n - crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &len, nullptr, ct.data() + n,
                                                   ct.size() - n, ad.data(), ad.size(), ct.data(),
                                                   key) != 0) {
      std::abort();
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t size = argc > 1 ? static_cast<std::size_t>(std::atol(argv[1])) : 64;
  if (sodium_init() < 0) return 1;
  const Bytes plain(size, 0x42);
  const Bytes ad(24, 0x01);
  crypto::Keyset keyset = *crypto::Keyset::Generate(crypto::KeyType::kAeadXChaCha20Poly1305);
  crypto::Aead aead = *crypto::Aead::Create(keyset);
  const unsigned char* key =
      keyset.EnabledMaterial(keyset.primary_id(), InsecureSecretAccess())->RevealBytes(InsecureSecretAccess()).data();

  Bytes raw_ct(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + size +
               crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(raw_ct.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(raw_ct.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                             &len, plain.data(), plain.size(), ad.data(), ad.size(),
                                             nullptr, raw_ct.data(), key);
  const Bytes our_ct = *aead.Encrypt(plain, ad);

  SealBulwark(aead, plain, ad);
  SealRaw(key, plain, ad);
  OpenBulwark(aead, our_ct, ad);
  OpenRaw(key, raw_ct, ad);
  std::printf("%d iterations of %zu bytes\n", kIterations, size);
  return 0;
}
