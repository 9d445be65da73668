package samples.headers;

import java.io.*;
import java.net.URLEncoder;
import java.sql.*;
import java.util.Properties;
import javax.servlet.http.*;

// Response headers and cookies built from input; values read back from a
// properties file or a database row are input too.
public class HeadersAndStoredInput extends HttpServlet {
  public void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String lang = request.getParameter("lang");
    // ruleid: header-injection, cookie-without-secure
    response.addCookie(new Cookie("lang", lang));
    // ok: header-injection
    // ruleid: cookie-without-secure
    response.addCookie(new Cookie("lang", URLEncoder.encode(lang, "UTF-8")));
    // ruleid: header-injection
    response.setHeader("X-Lang", lang);
    // ok: header-injection
    response.setHeader("X-Lang", lang.replace("\r", "").replace("\n", ""));
    // ok: header-injection
    response.setHeader("Cache-Control", "no-store");
  }

  public void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    Properties properties = new Properties();
    try (FileInputStream in = new FileInputStream("../common/config.properties")) {
      properties.load(in);
    }
    String fromFile = properties.getProperty("data");
    // ruleid: command-injection
    Runtime.getRuntime().exec("ls " + fromFile);
    Properties defaults = new Properties();
    defaults.setProperty("tool", "uptime");
    // Filled by the program, not loaded from a file.
    // ok: command-injection
    Runtime.getRuntime().exec(defaults.getProperty("tool"));

    Connection connection = DriverManager.getConnection("jdbc:sqlite:app.db");
    ResultSet rows = connection.prepareStatement("select name from users where id = 0").executeQuery();
    rows.next();
    String stored = rows.getString(1);
    // ruleid: xss
    response.getWriter().println("<p>" + stored + "</p>");
    // ok: command-injection
    Runtime.getRuntime().exec("ls /srv");
  }

  public void doPut(HttpServletRequest request, HttpServletResponse response) throws Exception {
    Part part = request.getPart("file");
    // ruleid: path-traversal
    part.write("/srv/uploads/" + part.getSubmittedFileName());
    // ok: path-traversal
    part.write("/srv/uploads/upload.bin");
  }

  // Zip slip: an entry named "../../etc/cron.d/x" lands outside the target.
  void unzip(java.util.zip.ZipInputStream zis, File dest) throws IOException {
    java.util.zip.ZipEntry entry;
    while ((entry = zis.getNextEntry()) != null) {
      // ruleid: path-traversal
      File out = new File(dest, entry.getName());
      // ruleid: path-traversal
      File canonical = new File(dest, entry.getName()).getCanonicalFile();
      if (!canonical.toPath().startsWith(dest.getCanonicalFile().toPath())) {
        throw new IOException("entry outside the target");
      }
      // ok: path-traversal
      new FileOutputStream(canonical).close();
      // ruleid: path-traversal
      File raw = new File(dest.getPath() + "/" + entry.getName());
      // The check normalizes what it compares, but the file written is another.
      if (raw.toPath().normalize().startsWith(dest.toPath())) {
        // ruleid: path-traversal
        new FileOutputStream(dest.getPath() + "/" + entry.getName()).close();
      }
    }
  }

  private static final java.util.Set<String> ALLOWED_ORIGINS = java.util.Set.of("https://app.example.com");

  public void doOptions(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String origin = request.getHeader("Origin");
    // ruleid: header-injection
    // ruleid: cors-origin-reflection
    response.setHeader("Access-Control-Allow-Origin", origin);
    if (ALLOWED_ORIGINS.contains(origin)) {
      // ok: cors-origin-reflection
      response.setHeader("Access-Control-Allow-Origin", origin);
    }
  }
}
