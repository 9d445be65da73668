#include "bulwark/files/root.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace bulwark::files {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& p, const std::string& content) {
  std::ofstream(p, std::ios::binary) << content;
}

// A temp tree:
//   outside/secret.txt            (must never be reachable)
//   root/public.txt, root/sub/inner.txt
//   root/link-out -> ../outside/secret.txt
//   root/dir-out -> ../outside
//   root/abs-link -> /etc/passwd
//   root/sub/up -> ..              (stays inside, but is a symlink)
//   root/hard -> hard link to outside/secret.txt
//   root/fifo                      (a FIFO)
class RootTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bulwark-files-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    fs::create_directories(base_ / "outside");
    fs::create_directories(base_ / "root" / "sub");
    WriteFile(base_ / "outside" / "secret.txt", "SECRET");
    WriteFile(base_ / "root" / "public.txt", "public");
    WriteFile(base_ / "root" / "sub" / "inner.txt", "inner");
    fs::create_symlink("../outside/secret.txt", base_ / "root" / "link-out");
    fs::create_directory_symlink("../outside", base_ / "root" / "dir-out");
    fs::create_symlink("/etc/passwd", base_ / "root" / "abs-link");
    fs::create_directory_symlink("..", base_ / "root" / "sub" / "up");
    fs::create_symlink("public.txt", base_ / "root" / "link-in");
    fs::create_hard_link(base_ / "outside" / "secret.txt", base_ / "root" / "hard");
    ASSERT_EQ(mkfifo((base_ / "root" / "fifo").c_str(), 0600), 0);
    auto root = Root::Open((base_ / "root").string());
    ASSERT_TRUE(root.ok());
    root_.emplace(std::move(root).value());
    if (!GetParam()) root_->DisableOpenat2ForTest();
  }
  void TearDown() override { fs::remove_all(base_); }

  Result<File> Read(const std::string& name) const {
    return root_->OpenForRead(Untrusted<std::string>(name));
  }

  fs::path base_;
  std::optional<Root> root_;
};

TEST_P(RootTest, ReadsFilesInside) {
  auto f = Read("public.txt");
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  EXPECT_EQ(AsChars(f->ReadAll(100).value()), "public");
  auto inner = Read("sub/inner.txt");
  ASSERT_TRUE(inner.ok());
  EXPECT_EQ(inner->Size().value(), 5u);
  EXPECT_EQ(Read("missing.txt").error().code(), ErrorCode::kNotFound);
}

TEST_P(RootTest, TraversalPayloadsAreRefused) {
  const std::string payloads[] = {
      "../outside/secret.txt", "..", ".", "./public.txt", "sub/../public.txt",
      "sub/../../outside/secret.txt", "/etc/passwd", "//etc/passwd", "/",
      "..\\outside\\secret.txt", "sub\\..\\..\\outside", "..%2foutside%2fsecret.txt",
      "%2e%2e/outside/secret.txt", "%252e%252e/outside/secret.txt", "..%252f..%252fetc",
      "%c0%ae%c0%ae/outside", "\xC0\xAE\xC0\xAE/outside/secret.txt",
      "\xE0\x80\xAE\xE0\x80\xAE/outside", "\xC0\xAF",
      std::string("public.txt\0.png", 15), "sub//inner.txt", "sub/", "", "...", "....//",
      "\xEF\xBC\x8E\xEF\xBC\x8E/outside",   // U+FF0E fullwidth full stops
      "..\xE2\x88\x95outside",              // U+2215 division slash
      "..\xEF\xBC\x8Foutside",              // U+FF0F fullwidth solidus
      "..\xEF\xBC\xBCoutside",              // U+FF3C fullwidth reverse solidus
      "evil\xE2\x80\xAEtxt.exe",            // U+202E right-to-left override
      "a\x01" "b", "line\nbreak", "\x7f", "\xC2\x85",  // controls (C0, DEL, C1 NEL)
      "\xFF\xFE", "\xED\xA0\x80",           // invalid byte, surrogate
      std::string(1025, 'a'), std::string(256, 'a'),
  };
  for (const auto& p : payloads) {
    auto r = Read(p);
    ASSERT_FALSE(r.ok()) << "payload accepted";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    // The message never echoes the name.
    if (p.size() > 3) {
      EXPECT_EQ(r.error().message().find(p), std::string::npos);
    }
  }
  std::string deep;
  for (int i = 0; i < 17; ++i) deep += "d/";
  deep += "f";
  EXPECT_EQ(Read(deep).error().code(), ErrorCode::kInvalidArgument);
}

TEST_P(RootTest, SymlinksAreNeverFollowed) {
  for (const char* name : {"link-out", "dir-out/secret.txt", "abs-link", "sub/up/public.txt",
                           "link-in"}) {
    auto r = Read(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied) << name;
  }
}

TEST_P(RootTest, OnlyRegularSinglyLinkedFilesAreRead) {
  EXPECT_EQ(Read("fifo").error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(Read("sub").error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(Read("hard").error().code(), ErrorCode::kPermissionDenied);
  auto lax = Root::Open((base_ / "root").string(), {.allow_hard_links = true});
  ASSERT_TRUE(lax.ok());
  EXPECT_TRUE(lax->OpenForRead(Untrusted<std::string>("hard")).ok());
}

TEST_P(RootTest, CreateNewNeverOverwritesOrFollows) {
  auto f = root_->CreateNew(Untrusted<std::string>("sub/new.bin"));
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  ASSERT_TRUE(f->Write(AsBytes("data")).ok());
  struct stat st{};
  ASSERT_EQ(stat((base_ / "root" / "sub" / "new.bin").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(root_->CreateNew(Untrusted<std::string>("public.txt")).error().code(),
            ErrorCode::kAlreadyExists);
  // A dangling symlink must not be created through.
  fs::create_symlink("../outside/planted.txt", base_ / "root" / "dangling");
  EXPECT_FALSE(root_->CreateNew(Untrusted<std::string>("dangling")).ok());
  EXPECT_FALSE(fs::exists(base_ / "outside" / "planted.txt"));
  EXPECT_FALSE(root_->CreateNew(Untrusted<std::string>("dir-out/planted.txt")).ok());
  EXPECT_FALSE(fs::exists(base_ / "outside" / "planted.txt"));
  EXPECT_EQ(root_->CreateNew(Untrusted<std::string>("../x")).error().code(),
            ErrorCode::kInvalidArgument);
}

TEST_P(RootTest, RemoveStaysInside) {
  EXPECT_TRUE(root_->Remove(Untrusted<std::string>("sub/inner.txt")).ok());
  EXPECT_FALSE(fs::exists(base_ / "root" / "sub" / "inner.txt"));
  EXPECT_FALSE(root_->Remove(Untrusted<std::string>("dir-out/secret.txt")).ok());
  EXPECT_FALSE(root_->Remove(Untrusted<std::string>("../outside/secret.txt")).ok());
  EXPECT_TRUE(fs::exists(base_ / "outside" / "secret.txt"));
  // Removing a symlink removes the link, never its target.
  EXPECT_TRUE(root_->Remove(Untrusted<std::string>("link-out")).ok());
  EXPECT_TRUE(fs::exists(base_ / "outside" / "secret.txt"));
  EXPECT_FALSE(root_->Remove(Untrusted<std::string>("sub")).ok());
}

TEST_P(RootTest, ReadAllIsCapped) {
  auto f = Read("public.txt");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->ReadAll(3).error().code(), ErrorCode::kResourceExhausted);
}

INSTANTIATE_TEST_SUITE_P(Resolution, RootTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "openat2" : "walk";
                         });

TEST(RootOpenTest, RootMustBeADirectory) {
  EXPECT_EQ(Root::Open("/nonexistent-bulwark-dir").error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(Root::Open("/etc/hostname").ok());
}

TEST(CheckRelativeNameTest, AcceptsOrdinaryNames) {
  for (const char* ok : {"a", "a.txt", "dir/file.tar.gz", ".hidden", "..foo", "foo..",
                         "résumé.pdf", "日本語.txt", "a b", "a-b_c~d"}) {
    EXPECT_TRUE(CheckRelativeName(ok).ok()) << ok;
  }
}

}  // namespace
}  // namespace bulwark::files
