// Foundation benchmarks. Each bulwark operation is measured next to the raw
// library call it wraps, in the same run, so the ratio is comparable across
// machines: run `bench/run_crypto_bench.sh` for the summary table.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <cstring>
#include <string>

#include "bulwark/core/bytes.h"
#include "bulwark/crypto/aead.h"
#include "bulwark/crypto/compare.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/crypto/password.h"
#include "bulwark/crypto/random.h"

namespace {

using namespace bulwark;
using namespace bulwark::crypto;

const Aead& TheAead() {
  static const Aead aead = *Aead::Create(*Keyset::Generate(KeyType::kAeadXChaCha20Poly1305));
  return aead;
}

void BM_AeadSeal_Bulwark(benchmark::State& state) {
  const Bytes plain(static_cast<std::size_t>(state.range(0)), 0x42);
  const Bytes ad(24, 0x01);
  for (auto _ : state) {
    Result<Bytes> ct = TheAead().Encrypt(plain, ad);
    benchmark::DoNotOptimize(ct);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

// The same work with libsodium directly: fresh nonce, output allocation, seal.
void BM_AeadSeal_Raw(benchmark::State& state) {
  const Bytes plain(static_cast<std::size_t>(state.range(0)), 0x42);
  const Bytes ad(24, 0x01);
  unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  crypto_aead_xchacha20poly1305_ietf_keygen(key);
  for (auto _ : state) {
    Bytes out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() +
              crypto_aead_xchacha20poly1305_ietf_ABYTES);
    randombytes_buf(out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &len, plain.data(),
        plain.size(), ad.data(), ad.size(), nullptr, out.data(), key);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_AeadOpen_Bulwark(benchmark::State& state) {
  const Bytes plain(static_cast<std::size_t>(state.range(0)), 0x42);
  const Bytes ad(24, 0x01);
  const Bytes ct = *TheAead().Encrypt(plain, ad);
  for (auto _ : state) {
    Result<Bytes> pt = TheAead().Decrypt(ct, ad);
    benchmark::DoNotOptimize(pt);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_AeadOpen_Raw(benchmark::State& state) {
  const Bytes plain(static_cast<std::size_t>(state.range(0)), 0x42);
  const Bytes ad(24, 0x01);
  unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  crypto_aead_xchacha20poly1305_ietf_keygen(key);
  Bytes ct(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() +
           crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(ct.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(ct.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                             &len, plain.data(), plain.size(), ad.data(), ad.size(),
                                             nullptr, ct.data(), key);
  for (auto _ : state) {
    Bytes out(plain.size());
    unsigned long long out_len = 0;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        out.data(), &out_len, nullptr, ct.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
        ct.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, ad.data(), ad.size(), ct.data(),
        key);
    benchmark::DoNotOptimize(rc);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

BENCHMARK(BM_AeadSeal_Bulwark)->Arg(64)->Arg(1024)->Arg(65536);
BENCHMARK(BM_AeadSeal_Raw)->Arg(64)->Arg(1024)->Arg(65536);
BENCHMARK(BM_AeadOpen_Bulwark)->Arg(64)->Arg(1024)->Arg(65536);
BENCHMARK(BM_AeadOpen_Raw)->Arg(64)->Arg(1024)->Arg(65536);

void BM_ConstantTimeEquals_Bulwark(benchmark::State& state) {
  const Bytes a = RandomBytes(static_cast<std::size_t>(state.range(0)));
  Bytes b = a;
  for (auto _ : state) benchmark::DoNotOptimize(ConstantTimeEquals(ByteView(a), ByteView(b)));
}
void BM_ConstantTimeEquals_Memcmp(benchmark::State& state) {
  const Bytes a = RandomBytes(static_cast<std::size_t>(state.range(0)));
  Bytes b = a;
  for (auto _ : state) benchmark::DoNotOptimize(std::memcmp(a.data(), b.data(), a.size()));
}
BENCHMARK(BM_ConstantTimeEquals_Bulwark)->Arg(32)->Arg(1024);
BENCHMARK(BM_ConstantTimeEquals_Memcmp)->Arg(32)->Arg(1024);

void BM_HmacSha256_Bulwark(benchmark::State& state) {
  const SecretBytes key = RandomSecretBytes(32);
  const Bytes msg(256, 0x33);
  for (auto _ : state) benchmark::DoNotOptimize(Hmac(HmacAlgorithm::kSha256, key, msg));
}
BENCHMARK(BM_HmacSha256_Bulwark);

void BM_Argon2id_Preset(benchmark::State& state) {
  const auto preset = static_cast<PasswordPreset>(state.range(0));
  PasswordHasherOptions options;
  options.params = PresetParams(preset);
  const PasswordHasher hasher = *PasswordHasher::Create(std::move(options));
  const SecretString pw = SecretString::Adopt(std::string("correct horse battery staple"));
  for (auto _ : state) benchmark::DoNotOptimize(hasher.Hash(pw));
  state.SetLabel(state.range(0) == 0 ? "owasp m=19MiB t=2"
                 : state.range(0) == 1 ? "moderate m=64MiB t=3"
                                       : "sensitive m=256MiB t=4");
}
BENCHMARK(BM_Argon2id_Preset)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(8);

// Raw libsodium at the default preset, for the wrapper's overhead.
void BM_Argon2id_Raw(benchmark::State& state) {
  const std::string pw = "correct horse battery staple";
  char out[crypto_pwhash_STRBYTES];
  for (auto _ : state) {
    int rc = crypto_pwhash_str_alg(out, pw.data(), pw.size(), 2, 19 * 1024 * 1024,
                                   crypto_pwhash_ALG_ARGON2ID13);
    benchmark::DoNotOptimize(rc);
  }
}
BENCHMARK(BM_Argon2id_Raw)->Unit(benchmark::kMillisecond)->Iterations(8);

}  // namespace

BENCHMARK_MAIN();
