package dev.floe.proxy.admin;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Normalises admin XML for comparison: parsed with the JDK's DOM parser and printed as an
 * indented outline (element names in order, attributes, text), with the text of volatile
 * elements (durations, ids, dates, byte and connection counters) replaced by {@code *}.
 */
final class XmlNormal {
  /** Elements whose values change from run to run. */
  static final Set<String> VOLATILE = Set.of("Connected", "ID", "server_start",
      "server_start_iso8601", "stream_start", "stream_start_iso8601", "total_bytes_read",
      "total_bytes_sent", "client_connections", "clients", "connections", "file_connections",
      "listener_connections", "source_client_connections", "source_relay_connections",
      "source_total_connections", "stats", "stats_connections");

  private static final Pattern VOLATILE_TEXT = Pattern.compile(
      "<(" + String.join("|", VOLATILE) + ")>[^<]*</\\1>");

  private XmlNormal() {}

  /** The outline of {@code xml}. */
  static String outline(String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setExpandEntityReferences(false);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = f.newDocumentBuilder()
          .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
      StringBuilder sb = new StringBuilder();
      walk(doc.getDocumentElement(), 0, sb);
      return sb.toString();
    } catch (Exception e) {
      throw new AssertionError("not XML: " + xml, e);
    }
  }

  /** The raw text with volatile element texts replaced by {@code *}. */
  static String masked(String xml) {
    Matcher m = VOLATILE_TEXT.matcher(xml);
    return m.replaceAll("<$1>*</$1>");
  }

  private static void walk(Element e, int depth, StringBuilder sb) {
    sb.append("  ".repeat(depth)).append(e.getTagName());
    NamedNodeMap attrs = e.getAttributes();
    for (int i = 0; i < attrs.getLength(); i++) {
      Node a = attrs.item(i);
      sb.append(" @").append(a.getNodeName()).append("=").append(a.getNodeValue());
    }
    boolean hasElements = false;
    StringBuilder text = new StringBuilder();
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeType() == Node.ELEMENT_NODE) {
        hasElements = true;
      } else if (c.getNodeType() == Node.TEXT_NODE) {
        text.append(c.getNodeValue());
      }
    }
    if (!hasElements) {
      sb.append(" = ").append(VOLATILE.contains(e.getTagName()) ? "*" : text);
    }
    sb.append('\n');
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeType() == Node.ELEMENT_NODE) {
        walk((Element) c, depth + 1, sb);
      }
    }
  }
}
