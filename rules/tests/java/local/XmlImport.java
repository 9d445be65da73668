package samples.local;

import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLInputFactory;
import org.w3c.dom.Document;

public class XmlImport {
  Document unhardened(InputStream in) throws Exception {
    // ruleid: xml-parser-unhardened
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    DocumentBuilder db = dbf.newDocumentBuilder();
    return db.parse(in);
  }

  Document hardened(InputStream in) throws Exception {
    // ok: xml-parser-unhardened
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    dbf.setExpandEntityReferences(false);
    return dbf.newDocumentBuilder().parse(in);
  }

  void streams(InputStream in) throws Exception {
    // ruleid: xml-parser-unhardened
    XMLInputFactory open = XMLInputFactory.newInstance();
    open.createXMLStreamReader(in);
    // ok: xml-parser-unhardened
    XMLInputFactory closed = XMLInputFactory.newFactory();
    closed.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    closed.createXMLStreamReader(in);
  }
}
