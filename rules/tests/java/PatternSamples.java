package samples;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Random;
import javax.crypto.Cipher;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.CrossOrigin;

public class PatternSamples {
  // ruleid: hardcoded-secret
  private static final String DB_PASSWORD = "s3cr3t-passw0rd";
  // ok: hardcoded-secret
  private static final String PASSWORD_PARAM = "password";

  private static final String LEGACY_DIGEST = "SHA1";
  private static final String DIGEST = "SHA-256";

  byte[] configured(byte[] data) throws Exception {
    // ruleid: weak-hash
    MessageDigest legacy = MessageDigest.getInstance(LEGACY_DIGEST);
    // ok: weak-hash
    MessageDigest current = MessageDigest.getInstance(DIGEST);
    return current.digest(legacy.digest(data));
  }

  byte[] hash(byte[] data) throws Exception {
    // ruleid: weak-hash
    MessageDigest md = MessageDigest.getInstance("MD5");
    // ok: weak-hash
    MessageDigest good = MessageDigest.getInstance("SHA-256");
    return md.digest(data);
  }

  void ciphers() throws Exception {
    // ruleid: weak-cipher
    Cipher des = Cipher.getInstance("DES/CBC/PKCS5Padding");
    // ruleid: weak-cipher
    Cipher ecb = Cipher.getInstance("AES/ECB/PKCS5Padding");
    // ok: weak-cipher
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    // RSA has no block chaining: "ECB" in its transformation is only a name.
    // ok: weak-cipher
    Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
    // ruleid: weak-cipher
    Cipher aesDefault = Cipher.getInstance("AES");
    // ruleid: weak-cipher
    Cipher tdes = javax.crypto.Cipher.getInstance("DESede/CBC/PKCS5Padding", "SunJCE");
  }

  int random() {
    // ruleid: insecure-random
    int weak = new Random().nextInt();
    // ok: insecure-random
    int strong = new SecureRandom().nextInt();
    // ruleid: integer-overflow
    return weak + strong;
  }

  void cookies(HttpServletResponse response, String value) {
    // ruleid: cookie-without-secure
    Cookie plain = new Cookie("session", value);
    response.addCookie(plain);
    // ok: cookie-without-secure
    Cookie secure = new Cookie("session", value);
    secure.setSecure(true);
    secure.setHttpOnly(true);
    response.addCookie(secure);
    Cookie off = new Cookie("pref", value);
    // ruleid: cookie-without-secure
    off.setSecure(false);
    response.addCookie(off);
  }

  // ruleid: cors-wildcard-credentials
  @CrossOrigin(origins = "*", allowCredentials = "true")
  void api() {}

  // ok: cors-wildcard-credentials
  @CrossOrigin(origins = "https://app.example.com", allowCredentials = "true")
  void api2() {}

  void security(org.springframework.security.config.annotation.web.builders.HttpSecurity http) throws Exception {
    // ruleid: csrf-protection-disabled
    http.csrf().disable();
    // ok: csrf-protection-disabled
    http.headers().disable();
    // Spring Security 6 spelling.
    // ruleid: csrf-protection-disabled
    http.csrf(org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer::disable);
    // ok: csrf-protection-disabled
    http.csrf(org.springframework.security.config.Customizer.withDefaults());
  }

  void connect() throws Exception {
    // ruleid: hardcoded-password
    java.sql.DriverManager.getConnection("jdbc:postgresql://db/app", "app", "app-password-1");
    // ok: hardcoded-password
    java.sql.DriverManager.getConnection("jdbc:postgresql://db/app", "app", System.getenv("DB_PASSWORD"));
  }

  // Juliet-style: the literal is kept in a variable, and handed over as
  // characters or bytes.
  void keysAndPasswords(String user) throws Exception {
    String data = "7e5tc4s3";
    // ruleid: hardcoded-password
    java.net.PasswordAuthentication creds = new java.net.PasswordAuthentication(user, data.toCharArray());
    // ruleid: hardcoded-crypto-key
    javax.crypto.spec.SecretKeySpec key = new javax.crypto.spec.SecretKeySpec(data.getBytes("UTF-8"), "AES");
    // ruleid: hardcoded-password
    javax.crypto.spec.PBEKeySpec spec = new javax.crypto.spec.PBEKeySpec("changeit".toCharArray());
    String fromEnv = System.getenv("KEY");
    // ok: hardcoded-crypto-key
    javax.crypto.spec.SecretKeySpec loaded = new javax.crypto.spec.SecretKeySpec(fromEnv.getBytes("UTF-8"), "AES");
    // ok: hardcoded-password
    java.net.PasswordAuthentication typed = new java.net.PasswordAuthentication(user, System.console().readPassword());
  }

  boolean redos(String input) {
    // ruleid: regex-redos
    java.util.regex.Pattern p = java.util.regex.Pattern.compile("^(([a-z])+.)+[A-Z]([a-z])+$");
    // ok: regex-redos
    java.util.regex.Pattern q = java.util.regex.Pattern.compile("^[a-z]+(\\.[a-z]+)*$");
    // ruleid: regex-redos
    boolean m = input.matches("(\\w+\\s?)*");
    // ok: regex-redos
    boolean n = input.matches("[a-z]+(-[a-z]+)*");
    return p.matcher(input).matches() && q.matcher(input).matches() && m && n;
  }

  void deserializers(com.fasterxml.jackson.databind.ObjectMapper mapper, com.thoughtworks.xstream.XStream xstream) {
    // ruleid: unsafe-deserializer-config
    mapper.enableDefaultTyping();
    // ruleid: unsafe-deserializer-config
    mapper.activateDefaultTyping(com.fasterxml.jackson.databind.jsontype.LaissezFaireSubTypeValidator.instance);
    // ok: unsafe-deserializer-config
    mapper.activateDefaultTyping(com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator.builder()
        .allowIfSubType("com.example.api.").build());
    // ruleid: unsafe-deserializer-config
    com.alibaba.fastjson.parser.ParserConfig.getGlobalInstance().setAutoTypeSupport(true);
    // ok: unsafe-deserializer-config
    com.alibaba.fastjson.parser.ParserConfig.getGlobalInstance().setAutoTypeSupport(false);
    // ruleid: unsafe-deserializer-config
    xstream.addPermission(com.thoughtworks.xstream.security.AnyTypePermission.ANY);
    // ok: unsafe-deserializer-config
    xstream.addPermission(com.thoughtworks.xstream.security.NoTypePermission.NONE);
  }

  String tokens(String user) {
    // ruleid: hardcoded-crypto-key
    com.auth0.jwt.algorithms.Algorithm a = com.auth0.jwt.algorithms.Algorithm.HMAC256("pa4qacea4VK9t9nGv7yZtwmj");
    // ok: hardcoded-crypto-key
    com.auth0.jwt.algorithms.Algorithm b = com.auth0.jwt.algorithms.Algorithm.HMAC256(System.getenv("JWT_KEY"));
    // ruleid: hardcoded-crypto-key
    String t = io.jsonwebtoken.Jwts.builder().setSubject(user).signWith(io.jsonwebtoken.SignatureAlgorithm.HS256, "k3y-material-here").compact();
    return t + a + b;
  }

  void jwt(String token) {
    // ruleid: jwt-not-verified
    io.jsonwebtoken.Jwts.parser().parseClaimsJwt(token);
    // ok: jwt-not-verified
    io.jsonwebtoken.Jwts.parser().parseClaimsJws(token);
    // parse() accepts an unsigned token as readily as a signed one.
    // ruleid: jwt-not-verified
    io.jsonwebtoken.Jwts.parser().setSigningKey(new byte[32]).parse(token);
  }

  void tls(javax.net.ssl.HttpsURLConnection conn) {
    // ruleid: tls-verification-disabled
    conn.setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
    // ok: tls-verification-disabled
    conn.setHostnameVerifier(new StrictHostnameVerifier());
    // ruleid: tls-verification-disabled
    conn.setHostnameVerifier((host, session) -> true);
    // ok: tls-verification-disabled
    conn.setHostnameVerifier((host, session) -> host.equals("api.example.com"));
  }
}

class AndroidDebug {
  void setup(boolean fromBuildConfig) {
    // ruleid: debug-enabled
    android.webkit.WebView.setWebContentsDebuggingEnabled(true);
    // ok: debug-enabled
    android.webkit.WebView.setWebContentsDebuggingEnabled(fromBuildConfig);
  }
}

class TrustEverything implements javax.net.ssl.X509TrustManager {
  public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

  // ruleid: tls-verification-disabled
  public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

  public java.security.cert.X509Certificate[] getAcceptedIssuers() {
    return new java.security.cert.X509Certificate[0];
  }
}

class PinnedTrust implements javax.net.ssl.X509TrustManager {
  private final javax.net.ssl.X509TrustManager system;

  PinnedTrust(javax.net.ssl.X509TrustManager system) {
    this.system = system;
  }

  public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

  // ok: tls-verification-disabled
  public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
      throws java.security.cert.CertificateException {
    system.checkServerTrusted(chain, authType);
  }

  public java.security.cert.X509Certificate[] getAcceptedIssuers() {
    return system.getAcceptedIssuers();
  }
}

class AnyHost implements javax.net.ssl.HostnameVerifier {
  // ruleid: tls-verification-disabled
  public boolean verify(String hostname, javax.net.ssl.SSLSession session) {
    return true;
  }
}

class NoHost implements javax.net.ssl.HostnameVerifier {
  // ok: tls-verification-disabled
  public boolean verify(String hostname, javax.net.ssl.SSLSession session) {
    return false;
  }
}
