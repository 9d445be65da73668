#include "bulwark/files/upload.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

namespace bulwark::files {
namespace {

namespace fs = std::filesystem;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, '\x01');
const std::string kPdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n";

class UploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bulwark-upload-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    root_.emplace(Root::Open(dir_.string()).value());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::size_t FileCount() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  Result<StoredFile> Upload(const std::string& content, UploadOptions options = {},
                            std::size_t chunk = 7) {
    BULWARK_ASSIGN_OR_RETURN(UploadWriter w, UploadWriter::Begin(*root_, options));
    for (std::size_t i = 0; i < content.size(); i += chunk) {
      BULWARK_RETURN_IF_ERROR(w.Write(AsBytes(std::string_view(content).substr(i, chunk))));
    }
    return w.Commit();
  }
  fs::path dir_;
  std::optional<Root> root_;
};

TEST_F(UploadTest, StoresUnderARandomNameByContentType) {
  auto a = Upload(kPng);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_EQ(a->type, FileType::kPng);
  EXPECT_EQ(a->size, kPng.size());
  EXPECT_EQ(a->name.size(), 22u + 4u);
  EXPECT_TRUE(a->name.ends_with(".png"));
  EXPECT_EQ(a->sha256, crypto::Sha256(AsBytes(kPng)));
  auto b = Upload(kPng);
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->name, b->name);
  struct stat st{};
  ASSERT_EQ(stat((dir_ / a->name).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // never executable
  auto f = root_->OpenForRead(Untrusted<std::string>(a->name));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(AsChars(f->ReadAll(1000).value()), kPng);
  EXPECT_EQ(FileCount(), 2u);  // no partial files left
}

TEST_F(UploadTest, SizeCapIsEnforcedWhileStreaming) {
  auto r = Upload(kPng + std::string(2000, 'x'), {.max_bytes = 1000});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(FileCount(), 0u);
  EXPECT_TRUE(Upload(kPng, {.max_bytes = kPng.size()}).ok());
}

// Uploads leave the file system's last min_free_bytes to everything else
// (the database, the audit trail): more than is free is refused at Begin.
TEST_F(UploadTest, LeavesTheLastFreeSpaceAlone) {
  auto r = Upload(kPng, {.max_bytes = 1000, .min_free_bytes = std::uint64_t{1} << 62});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(FileCount(), 0u);
  auto huge = Upload(kPng, {.max_bytes = SIZE_MAX, .min_free_bytes = UINT64_MAX});
  ASSERT_FALSE(huge.ok()) << "no overflow in min_free_bytes + max_bytes";
  EXPECT_EQ(huge.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_TRUE(Upload(kPng, {.max_bytes = 1000, .min_free_bytes = 1}).ok());
  EXPECT_TRUE(Upload(kPng).ok()) << "the default reserve (64 MiB) on this machine's /tmp";
}

TEST_F(UploadTest, TypeIsCheckedByMagicBytesAgainstTheAllowlist) {
  const std::string html = "<!DOCTYPE html><script>alert(1)</script>";
  const std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
  const std::string elf = std::string("\x7f" "ELF\x02\x01\x01", 7) + std::string(50, '\0');
  for (const std::string& bad : {html, svg, elf, std::string("MZ\x90\x00", 4), std::string()}) {
    auto r = Upload(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  }
  // PDF is allowed by default; text is not unless asked for.
  EXPECT_TRUE(Upload(kPdf).ok());
  EXPECT_FALSE(Upload("hello\n").ok());
  UploadOptions text{.allowed_types = {FileType::kPlainText}};
  EXPECT_TRUE(Upload("hello, world\n", text).ok());
  EXPECT_FALSE(Upload(html, text).ok());
  EXPECT_FALSE(Upload("  \n<html><body>x", text).ok());
  EXPECT_FALSE(Upload("text then <script>alert(1)</script>", text).ok());
  EXPECT_FALSE(Upload(std::string("text\0bin", 8), text).ok());
  EXPECT_FALSE(Upload(kPng, text).ok());  // a PNG is not allowed here
  EXPECT_EQ(FileCount(), 2u);
}

// The type is decided by the first kSniffBytes, but text must be text all
// the way: binary, invalid UTF-8, control characters or markup after the
// sniff window are refused too, whatever the chunking.
TEST_F(UploadTest, PlainTextIsCheckedOverTheWholeFile) {
  UploadOptions text{.allowed_types = {FileType::kPlainText}};
  const std::string words(kSniffBytes + 100, 'a');
  for (const std::string& tail :
       {std::string("\xFF\xFE"), std::string("\xC0\xAE"), std::string("\xED\xA0\x80"),
        std::string("\x01\x02\x7F"), std::string("\x1B[31m"), std::string("<script>alert(1)</script>"),
        std::string("\xE2\x82")}) {  // the last: a sequence cut by the end of the file
    for (std::size_t chunk : {std::size_t{7}, std::size_t{4096}, std::size_t{1} << 20}) {
      auto r = Upload(words + tail, text, chunk);
      ASSERT_FALSE(r.ok()) << "tail of " << tail.size() << " bytes, chunks of " << chunk;
      EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    }
  }
  // A tag split across two chunks is still seen.
  EXPECT_FALSE(Upload(std::string(kSniffBytes + 3, 'a') + "<scr" + "ipt>", text, kSniffBytes + 5).ok());
  // Valid multi-byte text split at every possible point is accepted.
  const std::string euro = words + "\xE2\x82\xAC \xF0\x9F\x98\x80 caf\xC3\xA9\n";
  for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{4096}}) {
    auto r = Upload(euro, text, chunk);
    ASSERT_TRUE(r.ok()) << "chunks of " << chunk << ": " << r.error().ToString();
    EXPECT_EQ(r->type, FileType::kPlainText);
  }
  EXPECT_EQ(FileCount(), 4u);
}

TEST_F(UploadTest, DetectFileType) {
  EXPECT_EQ(DetectFileType(AsBytes(kPng)), FileType::kPng);
  EXPECT_EQ(DetectFileType(AsBytes("\xFF\xD8\xFF\xE0")), FileType::kJpeg);
  EXPECT_EQ(DetectFileType(AsBytes("GIF89a....")), FileType::kGif);
  EXPECT_EQ(DetectFileType(AsBytes(std::string_view("RIFF\x10\x00\x00\x00WEBPVP8 ", 16))), FileType::kWebp);
  EXPECT_EQ(DetectFileType(AsBytes(std::string_view("PK\x03\x04", 4))), FileType::kZip);
  EXPECT_EQ(DetectFileType(AsBytes(kPdf)), FileType::kPdf);
  EXPECT_EQ(DetectFileType(AsBytes("plain words")), FileType::kPlainText);
  EXPECT_EQ(DetectFileType(AsBytes("\xC0\xAE")), std::nullopt);
  EXPECT_EQ(FileTypeMediaType(FileType::kJpeg), "image/jpeg");
}

TEST_F(UploadTest, AbandonedUploadsLeaveNothingBehind) {
  {
    auto w = UploadWriter::Begin(*root_);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->Write(AsBytes(kPng)).ok());
    EXPECT_EQ(FileCount(), 1u);
  }
  EXPECT_EQ(FileCount(), 0u);
  auto w = UploadWriter::Begin(*root_);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Write(AsBytes(kPng)).ok());
  ASSERT_TRUE(w->Commit().ok());
  EXPECT_EQ(w->Write(AsBytes("x")).error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(w->Commit().error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(UploadWriter::Begin(*root_, {.max_bytes = 0}).ok());
  EXPECT_FALSE(UploadWriter::Begin(*root_, {.allowed_types = {}}).ok());
}

}  // namespace
}  // namespace bulwark::files
