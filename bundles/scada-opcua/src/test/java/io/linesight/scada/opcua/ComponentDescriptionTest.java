package io.linesight.scada.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Checks the DS descriptor bnd generated from the annotations (in target/classes before the tests run):
 * the parts that only show up inside a framework, such as a service component that never starts its
 * server because it waits for a consumer, or an optional service that is never bound because the
 * reference is reluctant.
 */
class ComponentDescriptionTest {

    @Test
    void immediateOptionalConfigurationServicesAndDynamicReferences() throws Exception {
        Element component = descriptor("/OSGI-INF/" + OpcUaScadaComponent.PID + ".xml");

        assertEquals(OpcUaScadaComponent.PID, component.getAttribute("name"));
        assertEquals("true", component.getAttribute("immediate"), "the server must start without a sink consumer");
        assertEquals("optional", component.getAttribute("configuration-policy"));
        assertEquals(OpcUaScadaComponent.PID, component.getAttribute("configuration-pid"));
        assertEquals(List.of("io.linesight.api.inspection.ResultSink", "io.linesight.api.event.RuntimeEventListener"),
                attributes(component.getElementsByTagName("provide"), "interface"));
        Map<String, Element> references = new HashMap<>();
        NodeList list = component.getElementsByTagName("reference");
        for (int i = 0; i < list.getLength(); i++) {
            Element reference = (Element) list.item(i);
            references.put(reference.getAttribute("interface"), reference);
        }
        assertReference(references.get("io.linesight.api.inspection.InspectionLine"), "0..n", "");
        assertReference(references.get("io.linesight.api.output.MonitoredOutput"), "0..n", "");
        // Optional services that may arrive after activation: only a greedy reference binds them then.
        assertReference(references.get("io.linesight.api.deploy.ModelDeployment"), "0..1", "greedy");
        assertReference(references.get("io.linesight.api.event.EventBoard"), "0..1", "greedy");
    }

    @Test
    void gogoCommandIsAService() throws Exception {
        Element commands = descriptor("/OSGI-INF/" + ScadaCommands.class.getName() + ".xml");

        assertEquals(List.of(ScadaCommands.class.getName()), attributes(commands.getElementsByTagName("provide"), "interface"));
        List<String> names = attributes(commands.getElementsByTagName("property"), "name");
        assertEquals(List.of("osgi.command.scope", "osgi.command.function"), names);
    }

    private static void assertReference(Element reference, String cardinality, String policyOption) {
        assertNotNull(reference, "missing reference");
        assertEquals(cardinality, reference.getAttribute("cardinality"), reference.getAttribute("interface"));
        assertEquals("dynamic", reference.getAttribute("policy"), reference.getAttribute("interface"));
        assertEquals(policyOption, reference.getAttribute("policy-option"), reference.getAttribute("interface"));
    }

    private static List<String> attributes(NodeList nodes, String attribute) {
        return java.util.stream.IntStream.range(0, nodes.getLength())
                .mapToObj(i -> ((Element) nodes.item(i)).getAttribute(attribute)).toList();
    }

    private Element descriptor(String path) throws Exception {
        try (InputStream in = getClass().getResourceAsStream(path)) {
            assertNotNull(in, "bnd did not generate the component descriptor " + path);
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
        }
    }
}
