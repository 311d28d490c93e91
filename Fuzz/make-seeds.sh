#!/usr/bin/env bash
# Seed corpora for the fuzz targets (libFuzzer learns far faster from valid
# inputs). Usage: Fuzz/make-seeds.sh OUTDIR
set -euo pipefail
out="$1"
mkdir -p "$out/snapshot" "$out/block" "$out/jsonl" "$out/store" "$out/store-folder"
cp Tests/PackCodecTests/Golden/*.tscp SampleWorlds/*.tscp "$out/snapshot/"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Block seeds: 8 prefix bytes (type-1, codec, filter, count lo, count hi, 0, 0, format), then the payload.
python3 - "$tmp" <<'PY'
import struct, sys, random
d = sys.argv[1]
random.seed(42)
floats = b"".join(struct.pack("<f", random.random() * 100) for _ in range(64))
open(f"{d}/f32.raw", "wb").write(floats)
open(f"{d}/ids.raw", "wb").write(b"".join(struct.pack("<Q", i) for i in range(64)))
strings = [s.encode() for s in ["", "a", "größe", "日本語"] * 16]
open(f"{d}/str.raw", "wb").write(b"".join(struct.pack("<I", len(s)) for s in strings) + b"".join(strings))
PY
printf '\x09\x00\x00\x40\x00\x00\x00\x00' | cat - "$tmp/f32.raw" > "$out/block/f32-none"
{ printf '\x09\x02\x00\x40\x00\x00\x00\x00'; zstd -q -c "$tmp/f32.raw"; } > "$out/block/f32-zstd"
{ printf '\x08\x02\x00\x40\x00\x00\x00\x00'; zstd -q -c "$tmp/ids.raw"; } > "$out/block/u64-zstd"
printf '\x0b\x00\x00\x40\x00\x00\x00\x00' | cat - "$tmp/str.raw" > "$out/block/string-none"
# Byte 7 chooses the checksum: 0 CRC-32 (format 1), 1 XXH3-64 (format 2).
printf '\x09\x00\x00\x40\x00\x00\x00\x01' | cat - "$tmp/f32.raw" > "$out/block/f32-none-v2"
{ printf '\x09\x02\x00\x40\x00\x00\x00\x01'; zstd -q -c "$tmp/f32.raw"; } > "$out/block/f32-zstd-v2"
printf '\x08\x00\x02\x40\x00\x00\x00\x00' > "$out/block/ids-varint"; printf '\x00' >> "$out/block/ids-varint"
for i in $(seq 63); do printf '\x02' >> "$out/block/ids-varint"; done
# Store seeds: a real store's manifest and index records, behind the selector byte.
if [ -x .build/debug/tickscope ] || [ -x .build/release/tickscope ]; then
  bin=$( [ -x .build/release/tickscope ] && echo .build/release/tickscope || echo .build/debug/tickscope )
  "$bin" record swarm "$tmp/store" --entities 50 --ticks 6 > /dev/null
  { printf '\x00'; cat "$tmp/store/MANIFEST"; } > "$out/store/manifest"
  # The first checkpoint record of the index (kind 7), behind selector 0x81: parse as kind 7.
  python3 - "$tmp/store" "$out/store/checkpoint" <<'PY'
import glob, struct, sys
index = open(sorted(glob.glob(sys.argv[1] + "/index-*"))[0], "rb").read()
at = 16
while at + 20 <= len(index):  # "TREC", kind, 3 zero bytes, u64 length, u32 CRC-32, payload
    kind, length = index[at + 4], struct.unpack_from("<Q", index, at + 8)[0]
    if kind == 7:
        open(sys.argv[2], "wb").write(b"\x81" + index[at + 20:at + 20 + length])
        break
    at += 20 + length
PY
  # store-folder: which-byte, then u16-length-prefixed MANIFEST, MARKS, LOCK.
  python3 - "$tmp/store/MANIFEST" "$out/store-folder" <<'PY'
import struct, sys
manifest = open(sys.argv[1], "rb").read()
out = sys.argv[2]
def part(b): return struct.pack("<H", len(b)) + b
open(f"{out}/manifest", "wb").write(b"\x01" + part(manifest))
open(f"{out}/marks", "wb").write(b"\x02" + part(b"a c1 start\nb c3\n"))
open(f"{out}/lock", "wb").write(b"\x04" + part(b"pid 42 on host\n"))
open(f"{out}/all", "wb").write(b"\x07" + part(manifest) + part(b"c c2 x\n") + part(b"pid 1 on h\n"))
PY
  python3 - "$tmp/store" "$out/store" <<'PY'
import struct, sys, os
src, out = sys.argv[1], sys.argv[2]
for name, selector in (("index-000001.tsi", 1), ("data-000001.tsd", 3)):
    data = open(os.path.join(src, name), "rb").read()
    pos, n = 16, 0
    while pos + 20 <= len(data) and n < 12:
        kind = data[pos + 4]; length = struct.unpack_from("<Q", data, pos + 8)[0]
        payload = data[pos + 20:pos + 20 + length]
        if name.startswith("index") or kind in (2, 3):
            # Data: kind 2 behind 3, kind 3 (what writers write since 1.5) behind 0x83.
            sel = selector if kind == 1 else (2 + 4 * kind if name.startswith("index") else (3 if kind == 2 else 0x83))
            open(os.path.join(out, f"{name}-{n}"), "wb").write(bytes([sel]) + payload)
            n += 1
        pos += 20 + length
# A full block with a bridge (store 1.9, kind 4), behind selector 0x43: the
# first delta's payload made a bridge (base by content hash only, depth 1),
# then the first full block's payload.
data = open(os.path.join(src, "data-000001.tsd"), "rb").read()
pos, full, delta = 16, None, None
while pos + 20 <= len(data):
    kind = data[pos + 4]; length = struct.unpack_from("<Q", data, pos + 8)[0]
    payload = data[pos + 20:pos + 20 + length]
    if kind == 1 and full is None: full = payload
    if kind == 3 and delta is None: delta = payload
    pos += 20 + length
if full and delta:
    bridge = delta[:32] + bytes(20) + b"\x01" + delta[53:]
    open(os.path.join(out, "bridged"), "wb").write(b"\x43" + struct.pack("<Q", len(bridge)) + bridge + full)
PY
fi
cat > "$out/jsonl/world.jsonl" <<'JSON'
{"format":"tickscope-jsonl","version":1,"schema":[{"name":"H","version":2,"fields":[{"name":"v","type":"f32"},{"name":"n","type":"u64"},{"name":"s","type":"string"},{"name":"b","type":"bytes"},{"name":"ok","type":"bool"}]}],"resources":{"tick":1,"world_time":0.5,"seed":3,"custom":{"k":"v"}},"metadata":{"a":"b"},"archetypes":[["H"]]}
{"id":1,"H":{"v":"nan:0x7fc00001","n":18446744073709551615,"s":"\u00e9\n","b":"00ff","ok":true}}
JSON
# Foreign formats: the shared fixtures, behind their selector byte
# (0 tx2-pack, 1 TKSN, 2 PECS, 3 XS).
mkdir -p "$out/foreign" "$out/config"
fixtures=Tests/InteropTests/Fixtures
n=0
for f in "$fixtures"/tx2pack/files/*.tx2pack "$fixtures"/tx2pack/store/*.tx2pack; do { printf '\x00'; cat "$f"; } > "$out/foreign/tx2pack-$n"; n=$((n + 1)); done
for f in "$fixtures"/tksn/*.snap "$fixtures"/tksn/seq_gzip/simulation_tick_100.snap; do { printf '\x01'; cat "$f"; } > "$out/foreign/tksn-$n"; n=$((n + 1)); done
for f in "$fixtures"/pecs/*.pecs; do { printf '\x02'; cat "$f"; } > "$out/foreign/pecs-$n"; n=$((n + 1)); done
for f in "$fixtures"/xs/*.xs; do { printf '\x03'; cat "$f"; } > "$out/foreign/xs-$n"; n=$((n + 1)); done
# Config texts (0 theme, 1 keys, 2 config, 3 filter, 4 PECS schema).
{ printf '\x00'; cat Themes/dark.theme; } > "$out/config/theme"
{ printf '\x01'; printf 'x quit\nunbind q\nSPACE step-forward\n'; } > "$out/config/keys"
{ printf '\x02'; printf 'theme = light\nascii = true\nspeed = 5\n'; } > "$out/config/config"
{ printf '\x03'; printf 'Health.value < 0 && Position.x >= 1e3 || Name.text == "a b"'; } > "$out/config/filter"
{ printf '\x03'; printf '(C.f < 1 || !has(D)) && sqrt(C.d * 2) / C.i >= min(id, C.u) && C.s != "zz" && C.b == true'; } > "$out/config/filter-fields"
{ printf '\x03'; printf 'first tick where C.f == nan during 1..20 on fork-9'; } > "$out/config/query-first"
{ printf '\x03'; printf 'mean(abs(C.d - 1)) where C.b at main@12'; } > "$out/config/query-series"
{ printf '\x04'; printf 'Position = x:f32 y:f32 z:f32\n# c\nHealth = value:f32\n'; } > "$out/config/schema"
