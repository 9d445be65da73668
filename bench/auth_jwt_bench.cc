// JWT verification cost per algorithm, against the bare signature check on
// the same key and bytes (what verification cannot avoid), and against
// libjwt for HS256 and RS256. Prints the ratios at the end.
//
//   build/<dir>/src/auth/auth_jwt_bench [--benchmark_min_time=0.5s]
#include <benchmark/benchmark.h>
#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/auth/jwt.h"
#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hmac.h"

namespace {

using bulwark::ByteView;
using bulwark::Bytes;
using bulwark::InsecureSecretAccess;
using bulwark::auth::Claims;
using bulwark::auth::JwtSigner;
using bulwark::auth::JwtVerifier;
using bulwark::crypto::KeyType;
using bulwark::crypto::Keyset;

struct Fixture {
  Keyset keyset;
  JwtVerifier verifier;
  std::string token;
  std::string signing_input;
  Bytes signature;      // JOSE form
  Bytes der_signature;  // ES256 only
  EVP_PKEY* pkey = nullptr;
  Bytes ed_public;
};

std::string Alg(KeyType t) { return std::string(bulwark::auth::JwsAlgorithmName(*bulwark::auth::JwsAlgorithmForKeyType(t))); }

Fixture& Get(KeyType type) {
  static std::map<KeyType, std::unique_ptr<Fixture>> fixtures;
  auto& slot = fixtures[type];
  if (slot) return *slot;
  Keyset keyset = *Keyset::Generate(type);
  JwtSigner signer = *JwtSigner::Create(keyset, {.issuer = "https://id.example", .audience = "api",
                                                 .type = "JWT",  // libjwt 1.x accepts no other typ
                                                 .lifetime = std::chrono::hours(24)});
  std::string token =
      *signer.Sign(Claims().SetString("sub", "user-42").SetStrings("scope", {"read", "write"}));
  JwtVerifier verifier = *JwtVerifier::Create(
      keyset, {.issuer = "https://id.example", .audience = "api", .expected_type = "JWT"});
  slot.reset(new Fixture{std::move(keyset), std::move(verifier), token, {}, {}, {}, nullptr, {}});
  Fixture& f = *slot;
  const std::size_t dot = token.rfind('.');
  f.signing_input = token.substr(0, dot);
  f.signature = *bulwark::Base64UrlDecode(token.substr(dot + 1));
  const bulwark::SecretBytes* material = f.keyset.EnabledMaterial(f.keyset.primary_id(), InsecureSecretAccess());
  ByteView m = material->RevealBytes(InsecureSecretAccess());
  if (type == KeyType::kEd25519) {
    f.ed_public.resize(crypto_sign_PUBLICKEYBYTES);
    Bytes sk(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(f.ed_public.data(), sk.data(), m.data());
  } else if (type == KeyType::kEcdsaP256 || type == KeyType::kRsaPkcs1Sha256 ||
             type == KeyType::kRsaPssSha256) {
    const unsigned char* p = m.data();
    PKCS8_PRIV_KEY_INFO* info = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(m.size()));
    f.pkey = EVP_PKCS82PKEY(info);
    PKCS8_PRIV_KEY_INFO_free(info);
  }
  if (type == KeyType::kEcdsaP256) {
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(f.signature.data(), 32, nullptr),
                   BN_bin2bn(f.signature.data() + 32, 32, nullptr));
    const int len = i2d_ECDSA_SIG(sig, nullptr);
    f.der_signature.resize(static_cast<std::size_t>(len));
    unsigned char* out = f.der_signature.data();
    i2d_ECDSA_SIG(sig, &out);
    ECDSA_SIG_free(sig);
  }
  return f;
}

void BM_JwtVerify(benchmark::State& state, KeyType type) {
  Fixture& f = Get(type);
  for (auto _ : state) {
    auto r = f.verifier.Verify(bulwark::Untrusted<std::string_view>(f.token));
    if (!r.ok()) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(r);
  }
}

bool RawVerify(Fixture& f, KeyType type) {
  const auto* input = reinterpret_cast<const unsigned char*>(f.signing_input.data());
  switch (type) {
    case KeyType::kEd25519:
      return crypto_sign_verify_detached(f.signature.data(), input, f.signing_input.size(),
                                         f.ed_public.data()) == 0;
    case KeyType::kHmacSha256:
    case KeyType::kHmacSha512: {
      const bulwark::SecretBytes* key = f.keyset.EnabledMaterial(f.keyset.primary_id(), InsecureSecretAccess());
      return bulwark::crypto::HmacVerify(type == KeyType::kHmacSha256
                                             ? bulwark::crypto::HmacAlgorithm::kSha256
                                             : bulwark::crypto::HmacAlgorithm::kSha512,
                                         *key, bulwark::AsBytes(f.signing_input), f.signature);
    }
    default: {
      EVP_MD_CTX* md = EVP_MD_CTX_new();
      EVP_PKEY_CTX* pctx = nullptr;
      EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), nullptr, f.pkey);
      if (type == KeyType::kRsaPssSha256) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
      }
      const Bytes& sig = type == KeyType::kEcdsaP256 ? f.der_signature : f.signature;
      const bool ok = EVP_DigestVerify(md, sig.data(), sig.size(), input, f.signing_input.size()) == 1;
      EVP_MD_CTX_free(md);
      return ok;
    }
  }
}

void BM_RawVerify(benchmark::State& state, KeyType type) {
  Fixture& f = Get(type);
  for (auto _ : state) {
    const bool ok = RawVerify(f, type);
    if (!ok) state.SkipWithError("raw verify failed");
    benchmark::DoNotOptimize(ok);
  }
}

// libjwt decodes and verifies (it takes the algorithm from the header, which
// bulwark refuses to do; it checks no claims).
void BM_LibJwtVerify(benchmark::State& state, KeyType type) {
  Fixture& f = Get(type);
  std::string key;
  if (type == KeyType::kHmacSha256) {
    const bulwark::SecretBytes* k = f.keyset.EnabledMaterial(f.keyset.primary_id(), InsecureSecretAccess());
    ByteView v = k->RevealBytes(InsecureSecretAccess());
    key.assign(reinterpret_cast<const char*>(v.data()), v.size());
  } else {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, f.pkey);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    key.assign(data, static_cast<std::size_t>(len));
    BIO_free(bio);
  }
  for (auto _ : state) {
    jwt_t* jwt = nullptr;
    const int rc = jwt_decode(&jwt, f.token.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                              static_cast<int>(key.size()));
    if (rc != 0) state.SkipWithError("libjwt verify failed");
    jwt_free(jwt);
  }
}

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && !run.error_occurred) {
        ns_[run.benchmark_name()] = run.GetAdjustedCPUTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void PrintRatios() const {
    std::printf("\nRatios use CPU time per operation (robust on a shared machine).\n");
    std::printf("%-8s %12s %12s %8s %12s %10s %12s\n", "alg", "jwt ns", "raw ns", "jwt/raw",
                "jwt ops/s", "libjwt ns", "libjwt/jwt");
    for (KeyType t : {KeyType::kEd25519, KeyType::kEcdsaP256, KeyType::kRsaPkcs1Sha256,
                      KeyType::kRsaPssSha256, KeyType::kHmacSha256, KeyType::kHmacSha512}) {
      const std::string alg = Alg(t);
      auto jwt = ns_.find("JwtVerify/" + alg);
      auto raw = ns_.find("RawVerify/" + alg);
      if (jwt == ns_.end() || raw == ns_.end()) continue;
      auto lib = ns_.find("LibJwtVerify/" + alg);
      std::printf("%-8s %12.0f %12.0f %8.2f %12.0f", alg.c_str(), jwt->second, raw->second,
                  jwt->second / raw->second, 1e9 / jwt->second);
      if (lib != ns_.end()) {
        std::printf(" %10.0f %12.2f", lib->second, lib->second / jwt->second);
      }
      std::printf("\n");
    }
  }

 private:
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  for (KeyType t : {KeyType::kEd25519, KeyType::kEcdsaP256, KeyType::kRsaPkcs1Sha256,
                    KeyType::kRsaPssSha256, KeyType::kHmacSha256, KeyType::kHmacSha512}) {
    const std::string alg = Alg(t);
    benchmark::RegisterBenchmark(("JwtVerify/" + alg).c_str(), BM_JwtVerify, t);
    benchmark::RegisterBenchmark(("RawVerify/" + alg).c_str(), BM_RawVerify, t);
    if (t == KeyType::kHmacSha256 || t == KeyType::kRsaPkcs1Sha256) {
      benchmark::RegisterBenchmark(("LibJwtVerify/" + alg).c_str(), BM_LibJwtVerify, t);
    }
  }
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
