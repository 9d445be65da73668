package samples.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.regex.Pattern;
import javax.crypto.KeyGenerator;
import javax.net.ssl.SSLContext;
import javax.servlet.http.HttpServletRequest;

public class FilesAndKeys {
  void permissions(File f, Path p) throws Exception {
    // ruleid: permissive-file-permissions
    f.setWritable(true, false);
    // ok: permissive-file-permissions
    f.setWritable(true, true);
    // ruleid: permissive-file-permissions
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
    // ok: permissive-file-permissions
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));
  }

  void keys() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    // ruleid: weak-key-size
    rsa.initialize(1024);
    // ok: weak-key-size
    rsa.initialize(3072);
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    // ok: weak-key-size
    ec.initialize(256);
    KeyGenerator des = KeyGenerator.getInstance("AES");
    // ruleid: weak-key-size
    des.init(64);
    // ok: weak-key-size
    des.init(256);
  }

  void tls() throws Exception {
    // ruleid: weak-tls-protocol
    SSLContext old = SSLContext.getInstance("TLSv1.1");
    // ok: weak-tls-protocol
    SSLContext current = SSLContext.getInstance("TLSv1.3");
  }

  boolean search(HttpServletRequest request, String text) {
    String term = request.getParameter("term");
    // ruleid: regex-injection
    boolean a = Pattern.compile(term).matcher(text).find();
    // ok: regex-injection
    boolean b = Pattern.compile(Pattern.quote(term)).matcher(text).find();
    // ruleid: regex-injection
    boolean c = text.matches(term);
    // ok: regex-injection
    boolean d = term.matches("[a-z]+");
    return a || b || c || d;
  }
}
