package io.reprise.cli;

import io.reprise.app.ReprisServer;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "reprise " + (v == null ? "dev" : v) + " (speaks the MLflow " + ReprisServer.MLFLOW_COMPAT_VERSION
                    + " REST API)"
        };
    }
}
