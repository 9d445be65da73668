package samples.local;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// Resolving a path is half a check: only startsWith on the resolved path
// keeps it inside the base directory.
public class FileServlet extends HttpServlet {
  private static final String BASE = "/srv/files";

  public void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String name = request.getParameter("f");
    String canon = canonical(name);
    // ruleid: path-traversal
    new FileInputStream(canon).close();
    if (canon.startsWith(BASE + File.separator)) {
      // ok: path-traversal
      new FileInputStream(canon).close();
    }
    if (name.startsWith(BASE + "/")) {
      // ruleid: path-traversal
      new FileInputStream(name).close();
    }
  }

  private static String canonical(String name) throws IOException {
    // Constructing the File is reported: java.io.File and Paths.get name a
    // file whatever happens next.
    // ruleid: path-traversal
    return new File(BASE, name).getCanonicalPath();
  }

  public void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Path root = Paths.get(BASE).toRealPath();
    String name = request.getParameter("f");
    // ruleid: path-traversal
    Path p = Paths.get(BASE + "/" + name).normalize();
    if (!p.startsWith(root)) {
      throw new SecurityException("outside " + BASE);
    }
    // ok: path-traversal
    Files.readAllBytes(p);
  }

  public void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Path root = Paths.get(BASE).toAbsolutePath().normalize();
    // Resolving against a base only builds a name; the read is the access.
    // ok: path-traversal
    Path p = root.resolve(request.getParameter("f")).normalize();
    if (p.startsWith(root)) {
      // ok: path-traversal
      Files.readAllBytes(p);
    }
    // ruleid: path-traversal
    Files.readAllBytes(root.resolve(request.getParameter("g")));
    String single = request.getParameter("h");
    if (single.contains("..") || single.contains("/")) {
      response.sendError(400);
      return;
    }
    // ok: path-traversal
    Files.readAllBytes(root.resolve(single));
  }
}
