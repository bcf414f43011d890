/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * DOM parsing of untrusted XML (pom.xml, coverage reports) with external entities and DTDs disabled: a repository
 * under analysis must not make the analyser read other files or the network. A DOCTYPE is allowed (JaCoCo reports
 * carry one) but its external subset is never loaded. Also used for the tools' reports in {@code gates.measure}.
 * Stateless; a new builder per document.
 */
public final class SafeXml
{
    private SafeXml()
    {
    }

    /**
     * Parses a document.
     *
     * @param bytes the file's content.
     * @return the document, namespace-unaware so elements match by local name.
     * @throws IOException when the XML is malformed or the parser cannot be configured securely.
     */
    public static Document parse(final byte[] bytes) throws IOException
    {
        try
        {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setValidating(false);
            factory.setNamespaceAware(false);
            final DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(bytes));
        }
        catch (final ParserConfigurationException | SAXException e)
        {
            throw new IOException("not well-formed XML: " + e.getMessage(), e);
        }
    }

    /**
     * The child elements of a node with a given name, in document order.
     *
     * @param parent the node, may be null.
     * @param name   the element name.
     * @return a new list, empty when parent is null.
     */
    public static List<Element> children(final Node parent, final String name)
    {
        final List<Element> children = new ArrayList<>();
        if (parent != null)
        {
            for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling())
            {
                if (child instanceof Element element && name.equals(element.getTagName()))
                {
                    children.add(element);
                }
            }
        }
        return children;
    }

    /**
     * The first child element with a given name.
     *
     * @param parent the node, may be null.
     * @param name   the element name.
     * @return the element, or null.
     */
    static Element child(final Node parent, final String name)
    {
        final List<Element> children = children(parent, name);
        return children.isEmpty() ? null : children.getFirst();
    }

    /**
     * The trimmed text of the first child element with a given name.
     *
     * @param parent the node, may be null.
     * @param name   the element name.
     * @return the text, or {@code ""} when there is no such child.
     */
    static String childText(final Node parent, final String name)
    {
        final Element child = child(parent, name);
        return child == null ? "" : child.getTextContent().strip();
    }
}
