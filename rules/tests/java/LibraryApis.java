package samples.libraries;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// Library APIs beyond the JDK: Commons (Exec, Codec, Lang), Guava, Spring's
// RestTemplate, Hibernate criteria, EL and Velocity, servlet resources.
public class LibraryApis extends HttpServlet {
  private org.springframework.web.client.RestTemplate restTemplate;
  private org.apache.http.impl.client.CloseableHttpClient httpClient;
  private java.sql.Statement statement;

  public void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String in = request.getParameter("in");

    // ruleid: weak-cipher
    javax.crypto.Cipher pbe = javax.crypto.Cipher.getInstance("PBEWithMD5AndDES");
    // ok: weak-cipher
    javax.crypto.Cipher pbeAes = javax.crypto.Cipher.getInstance("PBEWithHmacSHA256AndAES_256");
    // ruleid: insecure-random
    String code = org.apache.commons.lang3.RandomStringUtils.randomNumeric(6);
    // ok: insecure-random
    String strong = java.util.Base64.getEncoder().encodeToString(java.security.SecureRandom.getInstanceStrong().generateSeed(16));
    // ruleid: weak-hash
    com.google.common.hash.HashFunction legacy = com.google.common.hash.Hashing.md5();
    // ok: weak-hash
    com.google.common.hash.HashFunction modern = com.google.common.hash.Hashing.sha256();
    // ruleid: weak-hash
    java.security.MessageDigest sha1 = org.apache.commons.codec.digest.DigestUtils.getSha1Digest();
    // ok: weak-hash
    java.security.MessageDigest sha256 = org.apache.commons.codec.digest.DigestUtils.getSha256Digest();

    // ruleid: ssrf
    restTemplate.postForEntity(in, null, String.class);
    // ok: ssrf
    restTemplate.postForEntity("https://api.example.com/v1/items", in, String.class);

    // ruleid: command-injection
    org.apache.commons.exec.CommandLine line = org.apache.commons.exec.CommandLine.parse("convert " + in);
    // ok: command-injection
    org.apache.commons.exec.CommandLine fixed = org.apache.commons.exec.CommandLine.parse("uptime");

    // execute() of an HTTP client or of Commons Exec is no SQL.
    org.apache.http.client.methods.HttpGet get = new org.apache.http.client.methods.HttpGet("https://api.example.com/" + in);
    // ok: sql-injection
    httpClient.execute(get);
    // ok: sql-injection
    new org.apache.commons.exec.DefaultExecutor().execute(fixed);
    String sql = "DELETE FROM t WHERE a = '" + in + "'";
    // ruleid: sql-injection
    statement.execute(sql);

    // ruleid: sql-injection
    org.hibernate.criterion.Restrictions.sqlRestriction("name = '" + in + "'");
    // ok: sql-injection
    org.hibernate.criterion.Restrictions.sqlRestriction("name = 'admin'");

    // ruleid: code-injection
    new javax.el.ELProcessor().eval(in);
    // ok: code-injection
    new javax.el.ELProcessor().eval("1 + 1");
    // ruleid: code-injection
    org.apache.velocity.app.Velocity.evaluate(null, response.getWriter(), "page", in);
    // ok: code-injection
    org.apache.velocity.app.Velocity.evaluate(null, response.getWriter(), in, "Hello");

    // ruleid: path-traversal
    java.io.InputStream page = getServletContext().getResourceAsStream("/WEB-INF/pages/" + in);
    // ok: path-traversal
    java.io.InputStream fixedPage = getServletContext().getResourceAsStream("/WEB-INF/pages/home.html");
    page.close();
    fixedPage.close();
  }
}
