#!/usr/bin/env python3
"""Makes the number-location data (号码归属地) the server compiles in:
crates/server/assets/geo/numbers.bin.gz, from libphonenumber's geocoding data as the PyPI
package `phonenumbers` ships it (zh and en descriptions per number prefix, country names per
region). Run once by hand in a venv, then commit the file:

    python3 -m venv /tmp/geo && /tmp/geo/bin/pip install phonenumbers
    /tmp/geo/bin/python scripts/make-geodata.py

Format (all integers little-endian; read by crates/server/src/geo.rs), deflated with gzip:
    b"SBGEO1"
    u32 strings, then each: u16 byte length, UTF-8 bytes
    u32 places, then each: u16 country (a string id of the ISO region code),
        u32 country_zh, country_en, region_zh, city_zh, region_en, city_en (string ids;
        0xFFFFFFFF = none)
    u32 ranges, then each: LEB128 varint of the start's distance from the previous start,
        LEB128 varint of the place id + 1 (0 = no place known)
Keys are the first 12 digits of an international number (country code first, no '+'),
right-padded with zeros; a range runs until the next range's start. Prefixes of the source
nest (the longest one wins), so they are flattened into disjoint ranges here and neighbouring
ranges with the same place merged.
"""

import gzip
import os
import struct
import sys

import phonenumbers as pn
from phonenumbers.geocoder import country_name_for_number
from phonenumbers.geodata import GEOCODE_DATA
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

WIDTH = 12
NONE = 0xFFFFFFFF
OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "server", "assets", "geo", "numbers.bin.gz")


def key_range(prefix):
    pad = WIDTH - len(prefix)
    return int(prefix + "0" * pad), int(prefix + "9" * pad)


def sample_region(prefix):
    """The region a number under `prefix` belongs to, for calling codes several regions share."""
    for fill in ("5550123", "2345678", "3456789", "0000000", "1234567"):
        digits = (prefix + fill)[: max(len(prefix) + 4, 11)]
        try:
            n = pn.parse("+" + digits)
        except pn.NumberParseException:
            continue
        region = pn.region_code_for_number(n)
        if region:
            return region
    return None


def country_names(region):
    n = pn.example_number(region) or pn.example_number_for_type(region, pn.PhoneNumberType.MOBILE)
    if n is None:
        code = pn.country_code_for_region(region)
        n = pn.PhoneNumber(country_code=code, national_number=0)
    zh = country_name_for_number(n, "zh") or None
    en = country_name_for_number(n, "en") or None
    return zh, en


def split_en(text):
    """'Shenzhen, Guangdong' → (region 'Guangdong', city 'Shenzhen'); 'Beijing' → ('Beijing', None)."""
    if text and ", " in text:
        city, region = text.rsplit(", ", 1)
        return region, city
    return text, None


def zh_provinces():
    """For Chinese numbers, the zh name of each province (the en region after the comma): the
    longest common beginning of the zh descriptions sharing that en region."""
    groups = {}
    for prefix, names in GEOCODE_DATA.items():
        if prefix.startswith("86") and "zh" in names and ", " in names.get("en", ""):
            groups.setdefault(split_en(names["en"])[0], set()).add(names["zh"])
    provinces = {}
    for en_region, texts in groups.items():
        common = os.path.commonprefix(sorted(texts))
        if len(texts) > 1 and common:
            provinces[en_region] = common
    return provinces


def describe(prefix, names, provinces):
    zh, en = names.get("zh"), names.get("en")
    region_en, city_en = split_en(en)
    region_zh, city_zh = zh, None
    if zh and prefix.startswith("86") and city_en:
        province = provinces.get(region_en)
        if province and zh.startswith(province) and len(zh) > len(province):
            region_zh, city_zh = province, zh[len(province):]
    return region_zh, city_zh, region_en, city_en


def main():
    provinces = zh_provinces()
    # Each prefix with what it says: (region code, description fields) — None inherits.
    entries = {}
    for cc, regions in COUNTRY_CODE_TO_REGION_CODE.items():
        if regions and regions[0] != "001":
            entries[str(cc)] = [regions[0], None]
    shared = {cc for cc, regions in COUNTRY_CODE_TO_REGION_CODE.items() if len(regions) > 1}
    for cc in shared:
        heads = [str(cc) + str(a) for a in range(200, 1000)] if cc == 1 else [str(cc) + str(d) for d in range(10)]
        for head in heads:
            region = sample_region(head)
            if region:
                entries.setdefault(head, [None, None])[0] = region
    for prefix, names in GEOCODE_DATA.items():
        if "zh" not in names and "en" not in names:
            continue
        e = entries.setdefault(prefix, [None, None])
        e[1] = describe(prefix, names, provinces)
        cc = next((int(prefix[:n]) for n in (1, 2, 3) if int(prefix[:n]) in shared), None)
        if cc is not None and e[0] is None:
            e[0] = sample_region(prefix)

    # Flatten the nested prefixes into disjoint ranges (parents before children, a stack of
    # open ranges), each with the full place its longest prefixes say.
    ordered = sorted(entries, key=lambda p: (key_range(p)[0], len(p)))
    ranges = []  # (start, place or None)
    stack = []  # (end, place)

    def emit(start, place):
        if ranges and ranges[-1][0] == start:
            ranges[-1] = (start, place)
        else:
            ranges.append((start, place))

    def close_until(start):
        while stack and stack[-1][0] < start:
            end, _ = stack.pop()
            emit(end + 1, stack[-1][1] if stack else None)

    for prefix in ordered:
        lo, hi = key_range(prefix)
        close_until(lo)
        parent = stack[-1][1] if stack else (None, None)
        region, desc = entries[prefix]
        place = (region or parent[0], desc if desc is not None else parent[1])
        emit(lo, place)
        stack.append((hi, place))
    close_until(10**WIDTH)

    merged = []
    for start, place in ranges:
        if merged and merged[-1][1] == place:
            continue
        merged.append((start, place))

    strings, string_ids = [], {}

    def sid(s):
        if s is None:
            return NONE
        if s not in string_ids:
            string_ids[s] = len(strings)
            strings.append(s)
        return string_ids[s]

    countries = {}
    places, place_ids = [], {}
    for _, place in merged:
        if place is None or place[0] is None or place in place_ids:
            continue
        region, desc = place
        if region not in countries:
            countries[region] = country_names(region)
        zh, en = countries[region]
        rz, cz, re_, ce = desc or (None, None, None, None)
        place_ids[place] = len(places)
        places.append((sid(region), sid(zh), sid(en), sid(rz), sid(cz), sid(re_), sid(ce)))

    out = bytearray(b"SBGEO1")
    out += struct.pack("<I", len(strings))
    for s in strings:
        b = s.encode("utf-8")
        out += struct.pack("<H", len(b)) + b
    out += struct.pack("<I", len(places))
    for p in places:
        out += struct.pack("<H6I", *p)
    out += struct.pack("<I", len(merged))
    prev = 0
    for start, place in merged:
        pid = place_ids[place] + 1 if place is not None and place[0] is not None else 0
        out += varint(start - prev) + varint(pid)
        prev = start
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(gzip.compress(bytes(out), compresslevel=9, mtime=0))
    print(f"phonenumbers {pn.__version__}: {len(strings)} strings, {len(places)} places, "
          f"{len(merged)} ranges, {len(out)} bytes raw, {os.path.getsize(OUT)} gzipped", file=sys.stderr)


def varint(n):
    b = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            b.append(byte | 0x80)
        else:
            b.append(byte)
            return bytes(b)


if __name__ == "__main__":
    main()
