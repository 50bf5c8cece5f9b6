/**
 * The one image decoder: image files and uploaded bytes (PNG, JPEG, GIF, BMP, TIFF) into the BGR24
 * frames a camera delivers, with the pixels training decodes ({@code Image.open(f).convert("RGB")}).
 *
 * <p>Every path that turns an image into a frame uses it (the folder camera, the deployment gate,
 * {@code model:eval}, the upload check), so the same image scores the same everywhere.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.linesight.image;
