package io.linesight.camera.sim;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of one simulated conveyor camera (factory PID {@code io.linesight.camera.sim}). */
@ObjectClassDefinition(
        name = "LineSight simulated conveyor camera",
        description = "A camera over a conveyor carrying punched steel plates, some of them flawed, "
                + "on a seeded schedule so the truth of every frame is known.")
public @interface ConveyorConfig {

    @AttributeDefinition(name = "Source id", description = "Name lines use to select this camera, e.g. (source.id=conveyor)")
    String source_id() default "conveyor";

    @AttributeDefinition(name = "Width", description = "Frame width in pixels (64..4096)")
    int widthPx() default 320;

    @AttributeDefinition(name = "Height", description = "Frame height in pixels (48..4096)")
    int heightPx() default 240;

    @AttributeDefinition(name = "Parts per second", description = "Parts passing the trigger per second; one frame per part (0.1..200)")
    double partsPerSecond() default 10;

    @AttributeDefinition(name = "Defect rate", description = "Fraction of parts that carry a defect (0..1)")
    double defectRate() default 0.1;

    @AttributeDefinition(name = "Seed", description = "Seed of the part schedule; the same seed gives the same parts")
    long seed() default 42;
}
