// File storage: uploads typed by their bytes (files::UploadWriter) and stored
// under random names in <data_dir>/files, metadata (owner, sanitized display
// name, detected type, size, SHA-256) in the database, downloads served as
// attachments with files::DownloadPolicy's headers. Owner-only; a per-account
// quota.

#include <cctype>
#include <map>

#include "bulwark/core/encoding.h"
#include "bulwark/files/upload.h"
#include "internal.h"
#include "schemas.h"

namespace bulwark::service {


namespace {

using validate::Field;
using validate::Rule;

constexpr std::size_t kChunk = 64 * 1024;

const validate::Schema& UploadQuerySchema() {
  static const validate::Schema s = MustCompile(Rule::Object({
      Field("filename", Rule::String().Length(1, 255).Describe(
                            "the name to offer on download; path parts and unsafe characters are removed")),
  }));
  return s;
}

const std::vector<files::FileType>& AllowedTypes() {
  static const std::vector<files::FileType> types{files::FileType::kPng, files::FileType::kJpeg,
                                                  files::FileType::kGif, files::FileType::kWebp,
                                                  files::FileType::kPdf, files::FileType::kPlainText};
  return types;
}

http::Response ReportResponse(const http::Request& req, const validate::ValidationReport& report) {
  http::Response r(report.HttpStatus());
  std::string body = report.ToProblemJson();
  if (!body.empty() && body.back() == '}') {
    body.pop_back();
    body += ",\"request_id\":\"" + req.context().request_id + "\"}";
  }
  r.SetBody(std::move(body), "application/problem+json");
  return r;
}

// The name offered on download ends in an extension of the type the bytes
// have: "invoice.html" holding a PNG becomes "invoice.html.png", so a
// download saved to disk (and opened from there) is opened as what it is,
// never as a page or a program its name claims it to be.
std::string NameForType(std::string name, files::FileType type) {
  static const std::map<files::FileType, std::vector<std::string_view>> kExtensions{
      {files::FileType::kPng, {"png"}},
      {files::FileType::kJpeg, {"jpg", "jpeg", "jpe", "jfif"}},
      {files::FileType::kGif, {"gif"}},
      {files::FileType::kWebp, {"webp"}},
      {files::FileType::kPdf, {"pdf"}},
      {files::FileType::kPlainText, {"txt", "text", "md", "csv", "log"}},
  };
  std::size_t dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0) {
    std::string ext = name.substr(dot + 1);
    for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto it = kExtensions.find(type);
    if (it != kExtensions.end()) {
      for (std::string_view known : it->second) {
        if (ext == known) return name;
      }
    }
  }
  return name + "." + std::string(files::FileTypeExtension(type));
}

JsonValue FileObject(const db::Row& row) {
  return JObj({{"id", J(row.Get<std::string>(0).value_or(""))},
               {"filename", J(row.Get<std::string>(1).value_or(""))},
               {"content_type", J(row.Get<std::string>(2).value_or(""))},
               {"size", J(row.Get<std::int64_t>(3).value_or(0))},
               {"sha256", J(row.Get<std::string>(4).value_or(""))},
               {"created_at", J(row.Get<std::int64_t>(5).value_or(0))}});
}

}  // namespace

void Service::Impl::AddFileRoutes() {
  using http::Method;
  routes.push_back({
      .method = Method::kPost, .path = "/v1/files",
      .summary = "Upload a file (raw body, application/octet-stream). The type is detected from "
                 "the bytes: PNG, JPEG, GIF, WebP, PDF or plain text; HTML, SVG and anything else is 415",
      .tag = "files", .access = Access::kUser, .api_key_scope = "files:write",
      .responses = {201, 400, 401, 403, 409, 413, 415, 422, 503, 507},
      .consumes = {"application/octet-stream"},
      .query = {{"filename", "required: the file's name (1..255 characters), sanitized before it is stored"}},
      .max_body_bytes = config.files_max_bytes,
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        std::optional<Untrusted<std::string>> name = req.QueryParam("filename");
        std::vector<std::pair<std::string, JsonValue>> query;
        if (name) query.emplace_back("filename", J(name->UnvalidatedValue()));
        validate::Checked<Valid<JsonValue>> checked =
            UploadQuerySchema().Validate(Untrusted<JsonValue>(JObj(std::move(query))));
        if (!checked.ok()) return ReportResponse(req, checked.report());
        const JsonValue* given = checked.value().value().Find("filename");
        std::string filename = files::SanitizeFilename(given->AsString(), "file");
        const std::string_view data = req.Body().UnvalidatedValue();
        if (data.empty()) return ProblemResponse(req, 422, "the body (the file) is empty");

        Result<db::Row> usage = db->QueryRow(
            "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM files WHERE user_id = ?", c->user.id);
        if (!usage.ok()) return ProblemResponse(req, 503);
        const std::int64_t count = usage->Get<std::int64_t>(0).value_or(0);
        const std::int64_t used = usage->Get<std::int64_t>(1).value_or(0);
        if (count >= config.files_max_per_account) {
          return ProblemResponse(req, 409, "file limit reached for this account");
        }
        if (used + static_cast<std::int64_t>(data.size()) > config.files_quota_bytes) {
          return ProblemResponse(req, 413, "storage quota exceeded");
        }

        Result<files::UploadWriter> writer = files::UploadWriter::Begin(
            *files_root, {.max_bytes = config.files_max_bytes,
                          .min_free_bytes = static_cast<std::uint64_t>(config.files_min_free_bytes),
                          .allowed_types = AllowedTypes()});
        if (!writer.ok() && writer.error().code() == ErrorCode::kResourceExhausted) {
          // The disk is nearly full: what is left is for the database and
          // the audit trail, not for more uploads.
          OpLog("error", "files: upload refused: less than files.min_free_bytes free on the data directory's file system");
          http::Response r = ProblemResponse(req, 507, "not enough storage space on the server; try again later");
          r.SetHeader("Retry-After", "3600");
          return r;
        }
        if (!writer.ok()) {
          OpLog("error", "files: cannot start upload: " + writer.error().ToString());
          return ProblemResponse(req, 503);
        }
        for (std::size_t at = 0; at < data.size(); at += kChunk) {
          Result<void> w = writer->Write(AsBytes(data.substr(at, kChunk)));
          if (!w.ok()) {
            if (w.error().code() == ErrorCode::kResourceExhausted) {
              return ProblemResponse(req, 413, "file too large");
            }
            OpLog("error", "files: write failed: " + w.error().ToString());
            return ProblemResponse(req, 503);
          }
        }
        Result<files::StoredFile> stored = writer->Commit();
        if (!stored.ok()) {
          if (stored.error().code() == ErrorCode::kInvalidArgument) {
            Audit("user:" + c->user.id, "file.rejected", "", audit::kDenied,
                  {{"reason", "type not allowed"}, {"size", std::to_string(data.size())}});
            return ProblemResponse(req, 415,
                                   "file type not allowed: PNG, JPEG, GIF, WebP, PDF or plain text "
                                   "(detected from the content)");
          }
          OpLog("error", "files: commit failed: " + stored.error().ToString());
          return ProblemResponse(req, 503);
        }
        const std::int64_t now = clock->NowUnixSeconds();
        std::string id = RandomId();
        std::string content_type(files::FileTypeMediaType(stored->type));
        filename = NameForType(std::move(filename), stored->type);
        std::string sha = HexEncode(ByteView(stored->sha256.data(), stored->sha256.size()));
        const auto size = static_cast<std::int64_t>(stored->size);
        // The check above is a cheap early refusal; this one decides. Locking
        // the owner's row first serializes one account's uploads (a row lock
        // on PostgreSQL, the write lock on SQLite), so concurrent uploads
        // cannot each see the old usage and overshoot the quota together.
        auto discard = [&] { (void)files_root->Remove(Untrusted<std::string>(stored->name)); };
        Result<db::Transaction> tx = db->Begin();
        if (!tx.ok()) {
          discard();
          return ProblemResponse(req, 503);
        }
        Result<std::int64_t> locked = tx->Execute("UPDATE users SET id = id WHERE id = ?", c->user.id);
        Result<db::Row> now_used = locked.ok()
            ? tx->QueryRow("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM files WHERE user_id = ?", c->user.id)
            : Result<db::Row>(locked.error());
        if (!now_used.ok()) {
          discard();
          OpLog("error", "files: quota check failed: " + now_used.error().ToString());
          return ProblemResponse(req, 503);
        }
        if (now_used->Get<std::int64_t>(0).value_or(0) >= config.files_max_per_account) {
          (void)tx->Rollback();
          discard();
          return ProblemResponse(req, 409, "file limit reached for this account");
        }
        if (now_used->Get<std::int64_t>(1).value_or(0) + size > config.files_quota_bytes) {
          (void)tx->Rollback();
          discard();
          return ProblemResponse(req, 413, "storage quota exceeded");
        }
        Result<std::int64_t> n = tx->Execute(
            "INSERT INTO files (id, user_id, storage_name, filename, content_type, size, sha256, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            id, c->user.id, stored->name, filename, content_type, size, sha, now);
        Result<void> committed = n.ok() ? tx->Commit() : Result<void>(n.error());
        if (!committed.ok()) {
          discard();
          OpLog("error", "files: metadata insert failed: " + committed.error().ToString());
          return ProblemResponse(req, 503);
        }
        Audit("user:" + c->user.id, "file.uploaded", "file:" + id, audit::kSuccess,
              {{"content_type", content_type}, {"size", std::to_string(size)}});
        return JsonResponse(201, JObj({{"id", J(id)},
                                       {"filename", J(filename)},
                                       {"content_type", J(content_type)},
                                       {"size", J(size)},
                                       {"sha256", J(sha)},
                                       {"created_at", J(now)}}));
      }});

  routes.push_back({
      .method = Method::kGet, .path = "/v1/files", .summary = "The caller's files (metadata)",
      .tag = "files", .access = Access::kUser, .api_key_scope = "files:read",
      .responses = {200, 401, 403, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Result<db::Rows> rows = db->Query(
            "SELECT id, filename, content_type, size, sha256, created_at FROM files "
            "WHERE user_id = ? ORDER BY created_at DESC, id LIMIT 1000",
            c->user.id);
        if (!rows.ok()) return ProblemResponse(req, 503);
        std::vector<JsonValue> items;
        for (const db::Row& row : *rows) items.push_back(FileObject(row));
        return JsonResponse(200, JObj({{"files", JArr(std::move(items))}}));
      }});

  routes.push_back({
      .method = Method::kGet, .path = "/v1/files/{id}",
      .summary = "Download one of the caller's files: always an attachment, nosniff, an allowlisted "
                 "Content-Type",
      .tag = "files", .access = Access::kUser, .api_key_scope = "files:read",
      .responses = {200, 401, 403, 404, 503},
      .produces = {"application/octet-stream", "application/pdf", "image/png", "image/jpeg",
                   "image/gif", "image/webp", "text/plain"},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        std::string id(req.PathText("id"));
        if (!LooksLikeId(id)) return ProblemResponse(req, 404, "no such file");
        Result<db::Rows> rows = db->Query(
            "SELECT storage_name, filename, content_type, size FROM files WHERE id = ? AND user_id = ?",
            id, c->user.id);
        if (!rows.ok()) return ProblemResponse(req, 503);
        if (rows->empty()) return ProblemResponse(req, 404, "no such file");
        const db::Row& row = (*rows)[0];
        std::string storage_name = row.Get<std::string>(0).value_or("");
        std::string filename = row.Get<std::string>(1).value_or("");
        std::string content_type = row.Get<std::string>(2).value_or("");
        Result<files::File> file = files_root->OpenForRead(Untrusted<std::string>(storage_name));
        if (!file.ok()) {
          OpLog("error", "files: stored blob of " + id + " unreadable: " + file.error().ToString());
          return ProblemResponse(req, file.error().code() == ErrorCode::kNotFound ? 404 : 503,
                                 "no such file");
        }
        Result<Bytes> data = file->ReadAll(config.files_max_bytes);
        if (!data.ok()) {
          OpLog("error", "files: read of " + id + " failed: " + data.error().ToString());
          return ProblemResponse(req, 503);
        }
        files::DownloadHeaders h = downloads->HeadersFor(content_type, filename);
        http::Response r(200);
        r.SetBody(std::string(AsChars(*data)), h.content_type);
        for (const auto& [header, value] : h.List()) {
          if (header != "Content-Type") r.SetHeader(header, value);
        }
        return r;
      }});

  routes.push_back({
      .method = Method::kDelete, .path = "/v1/files/{id}", .summary = "Delete one of the caller's files",
      .tag = "files", .access = Access::kUser, .api_key_scope = "files:write",
      .responses = {204, 401, 403, 404, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        std::string id(req.PathText("id"));
        if (!LooksLikeId(id)) return ProblemResponse(req, 404, "no such file");
        Result<db::Rows> rows = db->Query(
            "SELECT storage_name FROM files WHERE id = ? AND user_id = ?", id, c->user.id);
        if (!rows.ok()) return ProblemResponse(req, 503);
        if (rows->empty()) return ProblemResponse(req, 404, "no such file");
        std::string storage_name = (*rows)[0].Get<std::string>(0).value_or("");
        Result<std::int64_t> n =
            db->Execute("DELETE FROM files WHERE id = ? AND user_id = ?", id, c->user.id);
        if (!n.ok()) return ProblemResponse(req, 503);
        if (*n != 1) return ProblemResponse(req, 404, "no such file");
        Result<void> removed = files_root->Remove(Untrusted<std::string>(storage_name));
        if (!removed.ok() && removed.error().code() != ErrorCode::kNotFound) {
          OpLog("error", "files: blob of " + id + " not removed: " + removed.error().ToString());
        }
        Audit("user:" + c->user.id, "file.deleted", "file:" + id, audit::kSuccess);
        return http::Response(204);
      }});
}

}  // namespace bulwark::service
