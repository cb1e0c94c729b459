#!/usr/bin/env bash
# Regenerates the DICOM codec test files in offchain-workers/diagnostics/tests/data/codecs/
# (committed: the tests need none of these tools). One 64 × 64 image (12 bits stored, or 8 bit,
# or RGB) in every transfer syntax and colour encoding the decoder reads; see docs/worker.md.
#
# Needs python3, DCMTK (dcmconv, dcmcrle, dcmcjpeg, dcmcjpls) and opj_compress, installed here
# from Debian when missing (packages dcmtk, libopenjp2-tools).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/offchain-workers/diagnostics/tests/data/codecs"
say() { printf '[gen-codec-testdata] %s\n' "$*" >&2; }

missing=()
for tool in dcmconv:dcmtk opj_compress:libopenjp2-tools python3:python3; do
	command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$ROOT/scripts/codec-testdata.py" "$work" base

mkdir -p "$OUT"
rm -f "$OUT"/*.dcm
for name in mono16 mono8 rgb rgb-planar ybr-full ybr-full-422 palette multiframe multiframe-norep; do
	cp "$work/$name.dcm" "$OUT/$name.dcm"
done
# Native encodings, and a file without the 128-byte preamble ("DICM" at byte 0).
dcmconv +ti "$work/mono16.dcm" "$OUT/implicit-le.dcm"
dcmconv +tb "$work/mono16.dcm" "$OUT/big-endian.dcm"
dcmconv +td "$work/mono16.dcm" "$OUT/deflated.dcm"
tail -c +129 "$work/mono16.dcm" >"$OUT/no-preamble.dcm"
# RLE.
dcmcrle "$work/mono16.dcm" "$OUT/rle.dcm"
dcmcrle "$work/rgb.dcm" "$OUT/rle-rgb.dcm"
# JPEG: baseline (8 bit; RGB as YBR_FULL_422), extended 12 bit, lossless process 14 (.57) and
# its first-order prediction (.70).
dcmcjpeg +un +eb "$work/mono8.dcm" "$OUT/jpeg-baseline.dcm"
dcmcjpeg +un +eb "$work/rgb.dcm" "$OUT/jpeg-baseline-ybr422.dcm"
dcmcjpeg +un +ee "$work/mono16.dcm" "$OUT/jpeg-extended-12bit.dcm"
dcmcjpeg +un +el "$work/mono16.dcm" "$OUT/jpeg-lossless.dcm"
dcmcjpeg +un +e1 "$work/mono16.dcm" "$OUT/jpeg-lossless-sv1.dcm"
# JPEG-LS lossless and near-lossless (NEAR 2).
dcmcjpls +un +el "$work/mono16.dcm" "$OUT/jpeg-ls-lossless.dcm"
dcmcjpls +un +en "$work/mono16.dcm" "$OUT/jpeg-ls-near.dcm"
dcmcjpls +un +el "$work/rgb.dcm" "$OUT/jpeg-ls-rgb.dcm"
# JPEG 2000: reversible 5/3 (with RCT for colour), irreversible 9/7 (with ICT) at 10:1.
opj_compress -i "$work/mono16.pgm" -o "$work/mono16-lossless.j2k" >/dev/null
opj_compress -i "$work/mono16.pgm" -o "$work/mono16-lossy.j2k" -I -r 10 >/dev/null
opj_compress -i "$work/rgb.ppm" -o "$work/rgb-lossless.j2k" -mct 1 >/dev/null
opj_compress -i "$work/rgb.ppm" -o "$work/rgb-lossy.j2k" -I -r 10 -mct 1 >/dev/null
python3 "$ROOT/scripts/codec-testdata.py" "$OUT" j2k "$work"

say "wrote $(ls "$OUT" | wc -l) files, $(du -sk "$OUT" | cut -f1) KiB, in $OUT"
