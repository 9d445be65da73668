import java.io.FileInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Properties;
import javax.crypto.Cipher;

// Algorithms read from a .properties file of the project: the file's value
// decides, whatever default the code passes.
public class ConfiguredAlgorithms {
  byte[] digest(byte[] data) throws Exception {
    Properties props = new Properties();
    props.load(getClass().getClassLoader().getResourceAsStream("crypto.properties"));
    String weak = props.getProperty("hashAlg1", "SHA512");
    // ruleid: weak-hash
    MessageDigest md = MessageDigest.getInstance(weak);
    String strong = props.getProperty("hashAlg2", "SHA5");
    // ok: weak-hash
    MessageDigest md2 = MessageDigest.getInstance(strong);
    // Escapes in keys are decoded: escapedAlg.
    // ruleid: weak-hash
    MessageDigest md3 = MessageDigest.getInstance(props.getProperty("escapedAlg"));
    // Not in the file: the default is what runs.
    // ruleid: weak-hash
    MessageDigest md4 = MessageDigest.getInstance(props.getProperty("missingAlg", "MD5"));
    md2.update(data);
    md3.update(data);
    md4.update(data);
    return md.digest(data);
  }

  Cipher cipher() throws Exception {
    Properties config = new Properties();
    InputStream in = new FileInputStream("conf/crypto.properties");
    config.load(in);
    // ruleid: weak-cipher
    Cipher a = Cipher.getInstance(config.getProperty("cryptoAlg1", "AES/GCM/NoPadding"));
    // A line continued with a backslash.
    // ruleid: weak-cipher
    Cipher b = Cipher.getInstance(config.getProperty("legacyCipher"));
    a.getBlockSize();
    // ok: weak-cipher
    return Cipher.getInstance(config.getProperty("cryptoAlg2", "AES/ECB/PKCS5Padding"));
  }

  // A file the scan does not have: nothing is known, nothing is claimed.
  Cipher unknown() throws Exception {
    Properties other = new Properties();
    other.load(new FileInputStream("/etc/service/other.properties"));
    // ok: weak-cipher
    return Cipher.getInstance(other.getProperty("cipher", "DES"));
  }
}
