// C++ HTTP frameworks and SQL clients: cpp-httplib, Crow, Drogon, libpqxx,
// MySQL Connector/C++, SQLiteCpp.
#include <httplib.h>
#include <pqxx/pqxx>
#include <SQLiteCpp/SQLiteCpp.h>
#include <cppconn/statement.h>

#include <memory>
#include <regex>
#include <string>

void httplib_routes(httplib::Server &svr, pqxx::connection &conn) {
  svr.Get("/user", [&](const httplib::Request &req, httplib::Response &res) {
    std::string name = req.get_param_value("name");
    pqxx::work txn(conn);
    // ruleid: sql-injection
    txn.exec("SELECT * FROM users WHERE name = '" + name + "'");
    // ok: sql-injection
    txn.exec_params("SELECT * FROM users WHERE name = $1", name);
    // ruleid: xss
    res.set_content("<p>" + name + "</p>", "text/html");
    // ok: xss
    res.set_content(name, "text/plain");
    // ruleid: open-redirect
    res.set_redirect(req.get_header_value("Referer"));
    // ok: open-redirect
    res.set_redirect("/home");
    std::string filter = req.get_param_value("filter");
    // ruleid: regex-injection
    std::regex re(filter);
    // ok: regex-injection
    std::regex fixed("^[a-z]+$");
  });
}

void sqlite_cpp(SQLite::Database &db, const std::string &body) {
  std::string id = body;
  // ok: sql-injection
  db.exec("DELETE FROM sessions WHERE expired = 1");
}

void drogon_handler(const std::shared_ptr<HttpRequest> &req, sql::Statement *stmt, SQLite::Database &db) {
  std::string q = req->getParameter("q");
  // ruleid: sql-injection
  stmt->executeQuery("SELECT * FROM items WHERE title LIKE '%" + q + "%'");
  // ruleid: sql-injection
  db.exec("DELETE FROM items WHERE title = '" + q + "'");
  // ruleid: sql-injection
  SQLite::Statement query(db, "SELECT * FROM items WHERE title = '" + q + "'");
  // ok: sql-injection
  SQLite::Statement bound(db, "SELECT * FROM items WHERE title = ?");
}
