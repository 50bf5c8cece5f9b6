package io.linesight.scada.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Checks the DS descriptor bnd generated from the annotations (in target/classes before the tests run):
 * the parts that only show up inside a framework, such as a service component that never starts its
 * server because it waits for a consumer.
 */
class ComponentDescriptionTest {

    @Test
    void immediateOptionalConfigurationAndDynamicMultipleLineAndOutputReferences() throws Exception {
        Element component = descriptor();

        assertEquals(OpcUaScadaComponent.PID, component.getAttribute("name"));
        assertEquals("true", component.getAttribute("immediate"), "the server must start without a sink consumer");
        assertEquals("optional", component.getAttribute("configuration-policy"));
        assertEquals(OpcUaScadaComponent.PID, component.getAttribute("configuration-pid"));
        assertEquals("io.linesight.api.inspection.ResultSink",
                ((Element) component.getElementsByTagName("provide").item(0)).getAttribute("interface"));
        Element reference = (Element) component.getElementsByTagName("reference").item(0);
        assertEquals("io.linesight.api.inspection.InspectionLine", reference.getAttribute("interface"));
        assertEquals("0..n", reference.getAttribute("cardinality"));
        assertEquals("dynamic", reference.getAttribute("policy"));
        Element outputs = (Element) component.getElementsByTagName("reference").item(1);
        assertEquals("io.linesight.api.output.MonitoredOutput", outputs.getAttribute("interface"));
        assertEquals("0..n", outputs.getAttribute("cardinality"));
        assertEquals("dynamic", outputs.getAttribute("policy"));
    }

    private Element descriptor() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/OSGI-INF/" + OpcUaScadaComponent.PID + ".xml")) {
            assertNotNull(in, "bnd did not generate the component descriptor");
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
        }
    }
}
