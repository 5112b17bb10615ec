#!/usr/bin/env python3
"""Prints the two tables of src/model/text.cpp (display_width) from Python's Unicode database.

Usage: tools/gen_display_width.py > tables.inc, then replace kZeroWidth and kWide in
src/model/text.cpp with its contents and update the Unicode version named in their comment
(python3 -c 'import unicodedata; print(unicodedata.unidata_version)').
"""
import unicodedata as u


def zero_width(cp):
    # Combining marks and format characters, but the soft hyphen, which terminals show; the
    # Hangul medial vowels and final consonants join the syllable before them.
    if cp == 0xAD:
        return False
    if 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF:
        return True
    return u.category(chr(cp)) in ("Mn", "Me", "Cf")


def wide(cp):
    if zero_width(cp):
        return False
    if 0x20000 <= cp <= 0x3FFFD:  # planes 2 and 3 are wide, assigned or not
        return True
    # Python's database answers F for some unassigned code points: take assigned ones only.
    if u.category(chr(cp)) == "Cn":
        return False
    return u.east_asian_width(chr(cp)) in ("W", "F")


def ranges(pred):
    out, start = [], None
    for cp in range(0x110000):
        if pred(cp) and start is None:
            start = cp
        elif not pred(cp) and start is not None:
            out.append([start, cp - 1])
            start = None
    if start is not None:
        out.append([start, 0x10FFFF])
    return out


def merge_over_unassigned(rs):
    out = [rs[0]]
    for a, b in rs[1:]:
        gap = range(out[-1][1] + 1, a)
        if all(u.category(chr(c)) == "Cn" and not 0xD800 <= c <= 0xDFFF for c in gap):
            out[-1][1] = b
        else:
            out.append([a, b])
    return out


def table(name, rs):
    items = ["{0x%04X, 0x%04X}" % (a, b) for a, b in rs]
    return "constexpr CodeRange %s[] = {\n    %s,\n};\n" % (name, ", ".join(items))


# Unassigned code points stay width 1: they may become visible symbols (Unicode 16 put
# the Legacy Computing Supplement in a gap a merged zero-width range would have covered).
print(table("kZeroWidth", ranges(zero_width)), end="")
print(table("kWide", merge_over_unassigned(ranges(wide))), end="")
