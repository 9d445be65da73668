#include "bulwark/secrets/secrets.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "bulwark/core/encoding.h"

namespace bulwark::secrets {
namespace {

namespace fs = std::filesystem;

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bulwark-secrets-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& content, mode_t mode) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << content;
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::string dir_;
};

TEST_F(SecretsTest, ReadsOwnerOnlyFiles) {
  for (mode_t mode : {0600, 0400}) {
    std::string path = Write("key" + std::to_string(mode), "s3cret", mode);
    Result<SecretBytes> s = ReadSecretFile(path);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    EXPECT_EQ(AsChars(s->RevealBytes(InsecureSecretAccess())), "s3cret");
  }
}

TEST_F(SecretsTest, RefusesGroupOrWorldAccessibleFiles) {
  for (mode_t mode : {0640, 0604, 0644, 0660, 0666, 0610}) {
    std::string path = Write("key" + std::to_string(mode), "s3cret", mode);
    Result<SecretBytes> s = ReadSecretFile(path);
    ASSERT_FALSE(s.ok()) << std::oct << mode;
    EXPECT_EQ(s.error().code(), ErrorCode::kPermissionDenied);
    EXPECT_EQ(s.error().message().find("s3cret"), std::string::npos);
  }
}

TEST_F(SecretsTest, RefusesSymlinksDirectoriesAndMissing) {
  std::string target = Write("target", "s3cret", 0600);
  std::string link = dir_ + "/link";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  EXPECT_EQ(ReadSecretFile(link).error().code(), ErrorCode::kPermissionDenied);
  ::chmod(dir_.c_str(), 0700);
  EXPECT_EQ(ReadSecretFile(dir_).error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ReadSecretFile(dir_ + "/missing").error().code(), ErrorCode::kNotFound);
}

TEST_F(SecretsTest, RefusesHugeFiles) {
  std::string path = Write("huge", std::string(kMaxSecretSize + 1, 'x'), 0600);
  EXPECT_EQ(ReadSecretFile(path).error().code(), ErrorCode::kResourceExhausted);
}

TEST_F(SecretsTest, EnvIsReadOnceAndRemoved) {
  ::setenv("BULWARK_TEST_SECRET", "from-env", 1);
  Result<SecretBytes> s = ReadSecretEnv("BULWARK_TEST_SECRET");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(AsChars(s->RevealBytes(InsecureSecretAccess())), "from-env");
  EXPECT_EQ(std::getenv("BULWARK_TEST_SECRET"), nullptr);
  EXPECT_EQ(ReadSecretEnv("BULWARK_TEST_SECRET").error().code(), ErrorCode::kNotFound);
}

TEST_F(SecretsTest, SystemdCredentials) {
  Write("bulwark-master-key", "cred", 0400);
  ::setenv("CREDENTIALS_DIRECTORY", dir_.c_str(), 1);
  Result<SecretBytes> s = ReadCredential("bulwark-master-key");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(AsChars(s->RevealBytes(InsecureSecretAccess())), "cred");
  EXPECT_EQ(ReadCredential("../etc/passwd").error().code(), ErrorCode::kInvalidArgument);
  ::unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_EQ(ReadCredential("bulwark-master-key").error().code(), ErrorCode::kNotFound);
}

TEST_F(SecretsTest, ParseSources) {
  EXPECT_EQ(SecretSource::Parse("file:/etc/key")->kind(), SecretSource::Kind::kFile);
  EXPECT_EQ(SecretSource::Parse("env:KEY")->location(), "KEY");
  EXPECT_EQ(SecretSource::Parse("credential:k")->ToString(), "credential:k");
  for (const char* bad : {"", "file:", "file:relative", "env:A=B", "vault:x", "nocolon",
                          "credential:../x"}) {
    EXPECT_FALSE(SecretSource::Parse(bad).ok()) << bad;
  }
}

TEST_F(SecretsTest, WriteSecretFileIsPrivateAndNoClobber) {
  std::string path = dir_ + "/written.key";
  ASSERT_TRUE(WriteSecretFile(path, AsBytes("abc")).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(WriteSecretFile(path, AsBytes("def")).error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(AsChars(ReadSecretFile(path)->RevealBytes(InsecureSecretAccess())), "abc");
  ASSERT_TRUE(WriteSecretFile(path, AsBytes("def"), /*replace=*/true).ok());
  EXPECT_EQ(AsChars(ReadSecretFile(path)->RevealBytes(InsecureSecretAccess())), "def");
  EXPECT_EQ(WriteSecretFile(dir_ + "/nodir/x", AsBytes("a")).error().code(), ErrorCode::kNotFound);
  // No temporary files left behind.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(SecretsTest, MasterKeyText) {
  SecretBytes key = SecretBytes::CopyFrom(Bytes(32, 0xab));
  std::string text = EncodeMasterKey(key);
  EXPECT_EQ(text.back(), '\n');
  Result<SecretBytes> decoded = DecodeMasterKey(SecretBytes::CopyFrom(AsBytes(text)));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->Equals(key));
  EXPECT_FALSE(DecodeMasterKey(SecretBytes::CopyFrom(AsBytes("short"))).ok());
  EXPECT_FALSE(DecodeMasterKey(SecretBytes::CopyFrom(AsBytes(Base64UrlEncode(Bytes(16))))).ok());
}

}  // namespace
}  // namespace bulwark::secrets
