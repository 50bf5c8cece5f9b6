package io.linesight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.runtime.FrameworkSettings.Folders;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkSettingsTest {

    @TempDir
    Path tmp;

    @Test
    void exportsEverySlf4jPackageAtBothVersions() {
        String exports = FrameworkSettings.slf4jExports();

        for (String pkg : new String[] {"org.slf4j", "org.slf4j.spi", "org.slf4j.event", "org.slf4j.helpers"}) {
            assertTrue(exports.contains(pkg + ";version=2.0.17"), pkg);
            assertTrue(exports.contains(pkg + ";version=1.7.36"), pkg);
        }
        assertEquals(8, exports.split(",").length);
    }

    @Test
    void watchesTheConfigFolderAndTheLaunchersWatcherFolder() {
        Map<String, Object> p = FrameworkSettings.frameworkProperties(folders(), 4, false, true);

        assertEquals(tmp.resolve("config") + "," + tmp.resolve("var/fileinstall"), p.get("felix.fileinstall.dir"));
        assertEquals("false", p.get("felix.fileinstall.enableConfigSave"));
        assertEquals("1000", p.get("felix.fileinstall.poll"));
        assertEquals(tmp.resolve("var/felix-cache").toString(), p.get("org.osgi.framework.storage"));
        assertEquals("4", p.get("org.osgi.framework.startlevel.beginning"));
        assertTrue("x.cfg".matches((String) p.get("felix.fileinstall.filter")));
        assertTrue("x.config".matches((String) p.get("felix.fileinstall.filter")));
        assertFalse("x.jar".matches((String) p.get("felix.fileinstall.filter")));
    }

    @Test
    void aMissingConfigFolderIsNotWatchedSoItIsNotCreated() {
        Map<String, Object> p = FrameworkSettings.frameworkProperties(folders(), 4, false, false);

        assertEquals(tmp.resolve("var/fileinstall").toString(), p.get("felix.fileinstall.dir"));
    }

    @Test
    void theShellIsInteractiveOnlyWithATerminal() {
        assertEquals("--nointeractive", FrameworkSettings.frameworkProperties(folders(), 4, false, true).get("gosh.args"));
        assertFalse(FrameworkSettings.frameworkProperties(folders(), 4, true, true).containsKey("gosh.args"));
    }

    @Test
    void theDeployWatcherFileNamesTheDeployFolderAndTakesOnlyJars() throws IOException {
        Path file = FrameworkSettings.writeDeployWatcher(folders());
        Properties cfg = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            cfg.load(in);
        }

        assertEquals("org.apache.felix.fileinstall-deploy.cfg", file.getFileName().toString());
        assertEquals(tmp.resolve("var/fileinstall"), file.getParent());
        assertEquals(tmp.resolve("deploy").toString(), cfg.getProperty("felix.fileinstall.dir"));
        assertTrue("model-runner.jar".matches(cfg.getProperty("felix.fileinstall.filter")));
        assertFalse("line.cfg".matches(cfg.getProperty("felix.fileinstall.filter")));
        assertEquals("3", cfg.getProperty("felix.fileinstall.start.level"));
    }

    @Test
    void systemPropertiesNameTheFoldersAndTheJavacppCache() {
        Map<String, String> p = FrameworkSettings.systemProperties(folders());

        assertEquals(tmp.resolve("deploy").toString(), p.get("linesight.deploy"));
        assertEquals(tmp.resolve("var/javacpp-cache").toString(), p.get("org.bytedeco.javacpp.cachedir"));
    }

    private Folders folders() {
        return new Folders(tmp.resolve("config"), tmp.resolve("var"), tmp.resolve("deploy"));
    }
}
