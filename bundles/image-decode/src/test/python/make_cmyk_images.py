"""Writes src/test/resources/cmyk/: CMYK image files Java cannot write itself (a JPEG and a TIFF), for
ImageDecoderTest, which converts them as Pillow's convert("RGB") does.

Run with Debian's Python (python3-pil): /usr/bin/python3 make_cmyk_images.py
"""
import os

from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "cmyk")
os.makedirs(OUT, exist_ok=True)
Image.new("CMYK", (8, 6), (10, 20, 30, 40)).save(os.path.join(OUT, "cmyk.jpg"))
Image.new("CMYK", (8, 6), (10, 20, 30, 40)).save(os.path.join(OUT, "cmyk.tif"))
