package io.linesight.runtime;

import org.osgi.framework.Bundle;

/** How bundles are named in log lines: symbolic name and version, or the location if it has none. */
final class BundleNames {

    private BundleNames() {
    }

    /** {@code org.apache.felix.scr 2.2.18}, or the bundle's location for a jar without a symbolic name. */
    static String of(Bundle bundle) {
        String bsn = bundle.getSymbolicName();
        return bsn == null ? bundle.getLocation() : bsn + " " + bundle.getVersion();
    }

    /** Whether the bundle is a fragment, which is resolved (attached to its host) but never started. */
    static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(org.osgi.framework.Constants.FRAGMENT_HOST) != null;
    }
}
