#!/usr/bin/env python3
"""Writes the uncompressed and JPEG 2000 DICOM test files of the codec tests (standard library
only); `scripts/gen-codec-testdata.sh` runs it, then DCMTK for the other transfer syntaxes.

Usage: codec-testdata.py OUT_DIR base        (the native files the DCMTK tools start from)
       codec-testdata.py OUT_DIR j2k J2K_DIR (wraps opj_compress's codestreams)

Every value is fixed, so the files are byte-for-byte reproducible.
"""

import struct
import sys
from pathlib import Path

SIDE = 64
EXPLICIT_LE = "1.2.840.10008.1.2.1"
INTRA_ORAL = "1.2.840.10008.5.1.4.1.1.1.3"
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"


def ramp12(x, y):
    """The 12-bit test image: a diagonal ramp with a bright square (lossless files decode to
    exactly this)."""
    value = x * 40 + y * 24
    if 20 <= x < 36 and 24 <= y < 40:
        value = 4000
    return min(value, 4095)


def ramp8(x, y):
    return ramp12(x, y) >> 4


def colour(x, y):
    """An RGB test image: red rises left to right, green top to bottom, blue constant."""
    return (x * 4, y * 4, 96)


def element(group, number, vr, value):
    if isinstance(value, str):
        data = value.encode("ascii")
        pad = b"\0" if vr == "UI" else b" "
        if len(data) % 2:
            data += pad
    else:
        data = value
        if len(data) % 2:
            data += b"\0"
    head = struct.pack("<HH", group, number) + vr.encode("ascii")
    if vr in ("OB", "OW", "SQ", "UN", "UT"):
        return head + b"\0\0" + struct.pack("<I", len(data)) + data
    return head + struct.pack("<H", len(data)) + data


def us(*values):
    return struct.pack("<%dH" % len(values), *values)


def meta(transfer_syntax, sop_class, instance):
    body = element(0x0002, 0x0001, "OB", b"\0\1")
    body += element(0x0002, 0x0002, "UI", sop_class)
    body += element(0x0002, 0x0003, "UI", instance)
    body += element(0x0002, 0x0010, "UI", transfer_syntax)
    body += element(0x0002, 0x0012, "UI", "1.2.826.0.1.3680043.10.1451.1")
    group = element(0x0002, 0x0000, "UL", struct.pack("<I", len(body)))
    return b"\0" * 128 + b"DICM" + group + body


def image_file(
    name,
    pixels,
    *,
    samples=1,
    photometric="MONOCHROME2",
    bits=16,
    stored=12,
    frames=None,
    planar=None,
    extra=b"",
    transfer_syntax=EXPLICIT_LE,
    encapsulated=None,
    sop_class=INTRA_ORAL,
    representative=None,
):
    """A file with one data set; `pixels` is the native pixel data, or `encapsulated` a list of
    frames (one fragment each)."""
    instance = "1.2.826.0.1.3680043.10.1451.2." + str(sum(name.encode()))
    data = element(0x0008, 0x0016, "UI", sop_class)
    data += element(0x0008, 0x0018, "UI", instance)
    data += element(0x0008, 0x0060, "CS", "IO")
    data += element(0x0028, 0x0002, "US", us(samples))
    data += element(0x0028, 0x0004, "CS", photometric)
    if planar is not None:
        data += element(0x0028, 0x0006, "US", us(planar))
    if frames is not None:
        data += element(0x0028, 0x0008, "IS", str(frames))
    data += element(0x0028, 0x0010, "US", us(SIDE))
    data += element(0x0028, 0x0011, "US", us(SIDE))
    data += element(0x0028, 0x0100, "US", us(bits))
    data += element(0x0028, 0x0101, "US", us(stored))
    data += element(0x0028, 0x0102, "US", us(stored - 1))
    data += element(0x0028, 0x0103, "US", us(0))
    if representative is not None:
        data += element(0x0028, 0x6010, "US", us(representative))
    data += extra
    if encapsulated is None:
        data += element(0x7FE0, 0x0010, "OW" if bits == 16 else "OB", pixels)
    else:
        data += struct.pack("<HH", 0x7FE0, 0x0010) + b"OB\0\0" + b"\xff\xff\xff\xff"
        data += struct.pack("<HHI", 0xFFFE, 0xE000, 0)
        for frame in encapsulated:
            if len(frame) % 2:
                frame += b"\0"
            data += struct.pack("<HHI", 0xFFFE, 0xE000, len(frame)) + frame
        data += struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
    return meta(transfer_syntax, sop_class, instance) + data


def grid(function):
    return [function(x, y) for y in range(SIDE) for x in range(SIDE)]


def write(out, name, data):
    (out / name).write_bytes(data)


def base(out):
    mono16 = b"".join(us(v) for v in grid(ramp12))
    mono8 = bytes(grid(ramp8))
    rgb = grid(colour)
    write(out, "mono16.dcm", image_file("mono16", mono16))
    write(out, "mono8.dcm", image_file("mono8", mono8, bits=8, stored=8))
    interleaved = bytes(value for pixel in rgb for value in pixel)
    write(
        out,
        "rgb.dcm",
        image_file(
            "rgb",
            interleaved,
            samples=3,
            photometric="RGB",
            bits=8,
            stored=8,
            planar=0,
            sop_class=SECONDARY_CAPTURE,
        ),
    )
    planes = bytes(pixel[channel] for channel in range(3) for pixel in rgb)
    write(
        out,
        "rgb-planar.dcm",
        image_file(
            "rgb-planar",
            planes,
            samples=3,
            photometric="RGB",
            bits=8,
            stored=8,
            planar=1,
            sop_class=SECONDARY_CAPTURE,
        ),
    )
    # YBR_FULL (PS3.3 C.7.6.3.1.2), rounded; the decoder takes Y as the luminance.
    def ybr(pixel):
        r, g, b = pixel
        y = 0.299 * r + 0.587 * g + 0.114 * b
        cb = -0.168736 * r - 0.331264 * g + 0.5 * b + 128
        cr = 0.5 * r - 0.418688 * g - 0.081312 * b + 128
        return [max(0, min(255, int(round(v)))) for v in (y, cb, cr)]

    full = bytes(v for pixel in rgb for v in ybr(pixel))
    write(
        out,
        "ybr-full.dcm",
        image_file(
            "ybr-full",
            full,
            samples=3,
            photometric="YBR_FULL",
            bits=8,
            stored=8,
            planar=0,
            sop_class=SECONDARY_CAPTURE,
        ),
    )
    # YBR_FULL_422: Y0 Y1 Cb Cr for each horizontal pair.
    half = bytearray()
    for index in range(0, len(rgb), 2):
        first, second = ybr(rgb[index]), ybr(rgb[index + 1])
        half += bytes([first[0], second[0], (first[1] + second[1]) // 2, (first[2] + second[2]) // 2])
    write(
        out,
        "ybr-full-422.dcm",
        image_file(
            "ybr-full-422",
            bytes(half),
            samples=3,
            photometric="YBR_FULL_422",
            bits=8,
            stored=8,
            planar=0,
            sop_class=SECONDARY_CAPTURE,
        ),
    )
    # PALETTE COLOR: 8-bit indices into 256-entry, 16-bit LUTs (index i → red i·257, green
    # (255 − i)·257, blue 128·257).
    descriptor = us(256, 0, 16)
    lut = b"".join(
        element(0x0028, 0x1101 + channel, "US", descriptor) for channel in range(3)
    )
    entries = [
        [i * 257 for i in range(256)],
        [(255 - i) * 257 for i in range(256)],
        [128 * 257] * 256,
    ]
    lut += b"".join(
        element(0x0028, 0x1201 + channel, "OW", us(*entries[channel])) for channel in range(3)
    )
    write(
        out,
        "palette.dcm",
        image_file(
            "palette",
            mono8,
            photometric="PALETTE COLOR",
            bits=8,
            stored=8,
            extra=lut,
            sop_class=SECONDARY_CAPTURE,
        ),
    )
    # Three frames: the ramp, then the ramp plus 1 and plus 2; frame 2 is representative.
    frames = b"".join(
        us(*[min(v + k, 4095) for v in grid(ramp12)]) for k in range(3)
    )
    write(out, "multiframe.dcm", image_file("multiframe", frames, frames=3, representative=2))
    write(out, "multiframe-norep.dcm", image_file("multiframe-norep", frames, frames=3))
    # Raw inputs for opj_compress.
    pgm = b"P5\n64 64\n4095\n" + b"".join(struct.pack(">H", v) for v in grid(ramp12))
    (out / "mono16.pgm").write_bytes(pgm)
    ppm = b"P6\n64 64\n255\n" + interleaved
    (out / "rgb.ppm").write_bytes(ppm)


def j2k(out, codestreams):
    codestreams = Path(codestreams)
    files = [
        ("j2k-lossless.dcm", "mono16-lossless.j2k", "1.2.840.10008.1.2.4.90", "MONOCHROME2", 1),
        ("j2k-lossy.dcm", "mono16-lossy.j2k", "1.2.840.10008.1.2.4.91", "MONOCHROME2", 1),
        ("j2k-ybr-rct.dcm", "rgb-lossless.j2k", "1.2.840.10008.1.2.4.90", "YBR_RCT", 3),
        ("j2k-ybr-ict.dcm", "rgb-lossy.j2k", "1.2.840.10008.1.2.4.91", "YBR_ICT", 3),
    ]
    for name, source, syntax, photometric, samples in files:
        frame = (codestreams / source).read_bytes()
        bits, stored = (16, 12) if samples == 1 else (8, 8)
        write(
            out,
            name,
            image_file(
                name,
                None,
                samples=samples,
                photometric=photometric,
                bits=bits,
                stored=stored,
                planar=0 if samples == 3 else None,
                transfer_syntax=syntax,
                encapsulated=[frame],
                sop_class=INTRA_ORAL if samples == 1 else SECONDARY_CAPTURE,
            ),
        )


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if sys.argv[2] == "base":
        base(target)
    else:
        j2k(target, sys.argv[3])
