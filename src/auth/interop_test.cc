// Interoperability with the npm `jose` package, run under Node: for each
// algorithm, a token signed here verifies there, and a token signed there
// verifies here (with the key published/consumed as a JWK).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "bulwark/auth/jwt.h"
#include "bulwark/core/encoding.h"

namespace bulwark::auth {
namespace {

namespace json = boost::json;
const std::string kDir = std::string(BULWARK_SOURCE_DIR) + "/tests/auth_interop";

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

// Runs the driver on one request; returns its JSON response.
json::object RunJose(const json::object& request) {
  char path[] = "/tmp/bulwark-jose.XXXXXX";
  const int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  {
    std::ofstream out(path);
    out << json::serialize(request);
  }
  const std::string command = "node " + kDir + "/interop.mjs " + path;
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) output.append(buf, n);
    ::pclose(pipe);
  }
  ::close(fd);
  std::filesystem::remove(path);
  boost::system::error_code ec;
  json::value v = json::parse(output, ec);
  if (ec || !v.is_object()) return json::object{{"ok", false}, {"error", "driver output: " + output}};
  return v.as_object();
}

class JoseInterop : public ::testing::TestWithParam<crypto::KeyType> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kDir + "/node_modules/jose/package.json") ||
        std::system("node --version > /dev/null 2>&1") != 0) {
      if (InCi()) FAIL() << "CI=true but node or tests/auth_interop/node_modules is missing";
      GTEST_SKIP() << "node and the jose package are needed: run scripts/setup.sh";
    }
  }
};

TEST_P(JoseInterop, SignedHereVerifiesThere) {
  crypto::Keyset keyset = *crypto::Keyset::Generate(GetParam());
  JwtSigner signer = *JwtSigner::Create(keyset, {.issuer = "https://id.example", .audience = "api"});
  std::string token = *signer.Sign(Claims().SetString("sub", "user-7").SetStrings("scope", {"a"}));
  const std::string alg(JwsAlgorithmName(signer.algorithm()));
  json::object jwk;
  if (alg.starts_with("HS")) {
    // Test-only: hand the shared secret to the other side as an oct JWK.
    const SecretBytes* k = keyset.EnabledMaterial(keyset.primary_id(), InsecureSecretAccess());
    jwk = {{"kty", "oct"}, {"k", Base64UrlEncode(k->RevealBytes(InsecureSecretAccess()))}};
  } else {
    json::value set = json::parse(*PublishJwks(keyset));
    jwk = set.at("keys").as_array().at(0).as_object();
  }
  json::object response = RunJose({{"op", "verify"}, {"alg", alg}, {"jwk", jwk}, {"token", token},
                                   {"issuer", "https://id.example"}, {"audience", "api"},
                                   {"typ", "at+jwt"}});
  ASSERT_TRUE(response.at("ok").as_bool()) << json::serialize(response);
  EXPECT_EQ(response.at("payload").at("sub").as_string(), "user-7");
  EXPECT_EQ(response.at("header").at("kid").as_string(), KeyIdString(keyset.primary_id()));

  // A token tampered here is refused there.
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  response = RunJose({{"op", "verify"}, {"alg", alg}, {"jwk", jwk}, {"token", token},
                      {"issuer", "https://id.example"}, {"audience", "api"}, {"typ", "at+jwt"}});
  EXPECT_FALSE(response.at("ok").as_bool());
}

TEST_P(JoseInterop, SignedThereVerifiesHere) {
  const std::string alg(JwsAlgorithmName(*JwsAlgorithmForKeyType(GetParam())));
  json::object response =
      RunJose({{"op", "sign"}, {"alg", alg}, {"kid", "jose-key"}, {"issuer", "https://idp.example"},
               {"audience", "api"}, {"typ", "at+jwt"}, {"subject", "user-9"}});
  ASSERT_TRUE(response.at("ok").as_bool()) << json::serialize(response);
  const std::string jwks = "{\"keys\":[" + json::serialize(response.at("jwk")) + "]}";
  Result<Jwks> parsed =
      Jwks::Parse(Untrusted<std::string_view>(jwks), {.allow_symmetric = alg.starts_with("HS")});
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  JwtVerifier verifier =
      *JwtVerifier::Create(*parsed, {.issuer = "https://idp.example", .audience = "api"});
  const std::string token(response.at("token").as_string());
  Result<VerifiedJwt> jwt = verifier.Verify(Untrusted<std::string_view>(token));
  ASSERT_TRUE(jwt.ok()) << jwt.error().ToString();
  EXPECT_EQ(jwt->claims().subject(), "user-9");
  EXPECT_EQ(jwt->claims().GetStrings("scope"), (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(jwt->key_id(), "jose-key");
  EXPECT_EQ(JwsAlgorithmName(jwt->algorithm()), alg);
  // The wrong audience is refused here as well.
  JwtVerifier other = *JwtVerifier::Create(*parsed, {.issuer = "https://idp.example", .audience = "x"});
  EXPECT_FALSE(other.Verify(Untrusted<std::string_view>(token)).ok());
}

INSTANTIATE_TEST_SUITE_P(Algorithms, JoseInterop,
                         ::testing::Values(crypto::KeyType::kEd25519, crypto::KeyType::kEcdsaP256,
                                           crypto::KeyType::kRsaPkcs1Sha256,
                                           crypto::KeyType::kRsaPssSha256,
                                           crypto::KeyType::kHmacSha256,
                                           crypto::KeyType::kHmacSha512),
                         [](const ::testing::TestParamInfo<crypto::KeyType>& param) {
                           return std::string(JwsAlgorithmName(*JwsAlgorithmForKeyType(param.param)));
                         });

}  // namespace
}  // namespace bulwark::auth
