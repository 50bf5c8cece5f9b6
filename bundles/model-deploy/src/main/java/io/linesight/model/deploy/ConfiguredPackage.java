package io.linesight.model.deploy;

import io.linesight.api.deploy.DeploymentException;
import io.linesight.api.deploy.DeploymentException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The package a line's configuration names ({@code model.package}), identified as the activation history
 * identifies models: {@code name@version} from its card and the digest of its ONNX file. Comparing it with the
 * line's last activation from its configuration tells whether the file was edited since.
 *
 * @param folder the package folder the line's file names
 * @param id     {@code name@version}
 * @param sha256 digest of the model file the card names
 */
record ConfiguredPackage(Path folder, String id, String sha256) {

    /**
     * Reads the card and digests the model file.
     *
     * @throws DeploymentException NOT_FOUND when the folder or its files are missing, NOT_TRUSTED for a bad card
     */
    static ConfiguredPackage read(Path folder) throws DeploymentException {
        if (!Files.isDirectory(folder)) {
            throw new DeploymentException(Reason.NOT_FOUND, "model.package " + folder + " is not a folder: fix"
                    + " model.package in the line's file (a package folder holds model.json and the model file)");
        }
        PackageCard card;
        try {
            card = PackageCard.read(folder);
        } catch (DeploymentException e) {
            throw new DeploymentException(e.reason(), "model.package " + folder + ": " + e.getMessage());
        }
        Path model = folder.resolve(card.file());
        if (!Files.isRegularFile(model)) {
            throw new DeploymentException(Reason.NOT_FOUND, "model.package " + folder + " has no model file '"
                    + card.file() + "' (named by its model.json)");
        }
        return new ConfiguredPackage(folder, card.id(), PackageManifest.sha256(model));
    }
}
