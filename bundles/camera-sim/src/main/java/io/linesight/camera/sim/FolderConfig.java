package io.linesight.camera.sim;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of one image-folder camera (factory PID {@code io.linesight.camera.folder}). */
@ObjectClassDefinition(
        name = "LineSight image-folder camera",
        description = "Plays the PNG/JPEG images of a folder as a camera, for example a golden set replayed "
                + "through a whole line. Labels come from labels.csv, expected.json or one subfolder per label.")
public @interface FolderConfig {

    @AttributeDefinition(name = "Source id", description = "Name lines use to select this camera, e.g. (source.id=golden)")
    String source_id();

    @AttributeDefinition(name = "Folder", description = "Folder of images (relative to the runtime's working directory)")
    String folder();

    @AttributeDefinition(name = "Frames per second", description = "Images played per second (0.1..200)")
    double framesPerSecond() default 2;

    @AttributeDefinition(name = "Loop", description = "Start again after the last image (the folder is read again); "
            + "false: stop after one pass")
    boolean loop() default true;
}
