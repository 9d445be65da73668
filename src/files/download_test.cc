#include "bulwark/files/download.h"

#include <gtest/gtest.h>

namespace bulwark::files {
namespace {

TEST(SanitizeFilenameTest, MakesNamesSafe) {
  const std::pair<std::string, std::string> cases[] = {
      {"report.pdf", "report.pdf"},
      {"../../etc/passwd", "passwd"},
      {"..\\..\\windows\\win.ini", "win.ini"},
      {"C:\\Users\\me\\photo.png", "photo.png"},
      {"/absolute/path.txt", "path.txt"},
      {"a\"b.txt", "a_b.txt"},
      {"x\r\nContent-Type: text/html.txt", "html.txt"},
      {"x\r\nContent-Type: text_html.txt", "xContent-Type_ text_html.txt"},
      {"evil\xE2\x80\xAEgnp.exe", "evilgnp.exe"},  // RLO removed: no spoofed extension
      {"zero\xE2\x80\x8Bwidth.txt", "zerowidth.txt"},
      {".htaccess", "htaccess"},
      {"...", "download"},
      {"", "download"},
      {"   ", "download"},
      {"name. . .", "name"},
      {"CON", "_CON"},
      {"nul.txt", "_nul.txt"},
      {"com1.log", "_com1.log"},
      {"a;b,c*d?e<f>g|h:i.txt", "a_b_c_d_e_f_g_h_i.txt"},
      {"50%.txt", "50_.txt"},
      {"r\xC3\xA9sum\xC3\xA9.pdf", "r\xC3\xA9sum\xC3\xA9.pdf"},
      {"bad\xFF\xFEutf8.txt", "badutf8.txt"},
      {"\xC0\xAE\xC0\xAE/x.txt", "x.txt"},
      {"a\xE2\x88\x95" "b.txt", "b.txt"},  // U+2215 division slash cuts like '/'
      {"\xEF\xBC\x8E\xEF\xBC\x8E" "x", "__x"},  // fullwidth dots are no dots
  };
  for (const auto& [in, out] : cases) {
    EXPECT_EQ(SanitizeFilename(in), out) << in;
  }
  EXPECT_EQ(SanitizeFilename("", "file.bin"), "file.bin");
}

TEST(SanitizeFilenameTest, CutsLongNamesKeepingTheExtension) {
  std::string long_name(500, 'a');
  long_name += ".pdf";
  std::string s = SanitizeFilename(long_name);
  EXPECT_LE(s.size(), 200u);
  EXPECT_TRUE(s.ends_with(".pdf"));
  // Multi-byte characters are not split.
  std::string wide;
  for (int i = 0; i < 150; ++i) wide += "\xC3\xA9";
  std::string w = SanitizeFilename(wide + ".txt");
  EXPECT_LE(w.size(), 200u);
  EXPECT_TRUE(w.ends_with(".txt"));
  EXPECT_EQ(w.size() % 2, 0u);  // 2-byte chars + ".txt"
}

TEST(ContentDispositionTest, Rfc6266AndRfc5987) {
  EXPECT_EQ(ContentDispositionAttachment("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  EXPECT_EQ(ContentDispositionAttachment("r\xC3\xA9sum\xC3\xA9 1.pdf"),
            "attachment; filename=\"r_sum_ 1.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.pdf");
  std::string injected = ContentDispositionAttachment("a\"; filename=evil.html\r\nX: y");
  EXPECT_EQ(injected.find('\r'), std::string::npos);
  EXPECT_EQ(injected.find('\n'), std::string::npos);
  EXPECT_EQ(injected.find("filename=evil"), std::string::npos);
  EXPECT_EQ(std::count(injected.begin(), injected.end(), '"'), 2);
  EXPECT_EQ(ContentDispositionAttachment("../../x"),
            "attachment; filename=\"x\"; filename*=UTF-8''x");
}

TEST(DownloadPolicyTest, AllowlistedTypesOnlyAndAlwaysAttachment) {
  DownloadPolicy policy = DownloadPolicy::Create().value();
  DownloadHeaders png = policy.HeadersFor("image/png", "cat.png");
  EXPECT_EQ(png.content_type, "image/png");
  EXPECT_TRUE(png.content_disposition.starts_with("attachment;"));
  EXPECT_EQ(png.x_content_type_options, "nosniff");
  EXPECT_EQ(png.content_security_policy, "default-src 'none'; sandbox");
  EXPECT_EQ(policy.HeadersFor("Text/Plain; charset=latin1", "a.txt").content_type,
            "text/plain; charset=utf-8");
  for (const char* t : {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml",
                        "application/javascript", "text/css", "application/x-unknown", "",
                        "text/html; charset=utf-8", "multipart/x-mixed-replace"}) {
    EXPECT_EQ(policy.HeadersFor(t, "f").content_type, "application/octet-stream") << t;
  }
  auto list = png.List();
  ASSERT_EQ(list.size(), 6u);
  EXPECT_EQ(list[0].first, "Content-Type");
}

TEST(DownloadPolicyTest, ScriptableTypesCannotBeAllowed) {
  for (const char* t : {"text/html", "image/svg+xml", "application/xhtml+xml", "application/xml",
                        "text/javascript", "application/rss+xml", "text/css", "multipart/mixed"}) {
    EXPECT_FALSE(DownloadPolicy::Create({.allowed_content_types = {t}}).ok()) << t;
  }
  EXPECT_FALSE(DownloadPolicy::Create({.allowed_content_types = {"Image/PNG"}}).ok());
  EXPECT_FALSE(DownloadPolicy::Create({.allowed_content_types = {"image/png; x=1"}}).ok());
  EXPECT_FALSE(DownloadPolicy::Create({.allowed_content_types = {"png"}}).ok());
  EXPECT_TRUE(DownloadPolicy::Create({.allowed_content_types = {"audio/mpeg"}}).ok());
}

}  // namespace
}  // namespace bulwark::files
