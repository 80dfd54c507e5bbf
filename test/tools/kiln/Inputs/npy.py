#!/usr/bin/env python3
"""Writes and reads small .npy files for the `kiln run` tests, with only the
standard library (the tests must not need NumPy).

  npy.py write FILE DTYPE SHAPE [VALUE...]   DTYPE: f2 f4 f8 i1..i8 u1..u8 b1
                                             SHAPE: 2x3, or "" for a scalar
  npy.py print FILE          prints `DTYPE[SHAPE] v1 v2 ...` (floats as %g)
  npy.py range FILE LO HI    fails unless every value v has LO <= v < HI
  npy.py header FILE DESCR SHAPE   writes a header only (a truncated file)
"""

import struct
import sys

FORMATS = {"f2": "e", "f4": "f", "f8": "d", "i1": "b", "i2": "h", "i4": "i",
           "i8": "q", "u1": "B", "u2": "H", "u4": "I", "u8": "Q", "b1": "?"}


def descr(dtype):
    return ("|" if dtype[1] == "1" else "<") + dtype


def parse_shape(text):
    return [int(d) for d in text.split("x")] if text else []


def header(dtype, shape):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    text = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr(dtype), dims)
    text += " " * (63 - (10 + len(text)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode()


def read(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x93NUMPY\x01\x00", "not a version 1.0 .npy file"
    length = struct.unpack("<H", data[8:10])[0]
    meta = eval(data[10:10 + length].decode())  # our own test files only
    assert not meta["fortran_order"]
    dtype = meta["descr"][1:]
    shape = list(meta["shape"])
    count = 1
    for d in shape:
        count *= d
    values = struct.unpack("<%d%s" % (count, FORMATS[dtype]),
                           data[10 + length:])
    return dtype, shape, values


def main(argv):
    command = argv[1]
    if command == "write":
        path, dtype, shape = argv[2], argv[3], parse_shape(argv[4])
        fmt = FORMATS[dtype]
        convert = float if fmt in "efd" else int
        values = [convert(v) for v in argv[5:]]
        with open(path, "wb") as f:
            f.write(header(dtype, shape))
            f.write(struct.pack("<%d%s" % (len(values), fmt), *values))
    elif command == "header":
        with open(argv[2], "wb") as f:
            f.write(header(argv[3], parse_shape(argv[4])))
    elif command == "print":
        dtype, shape, values = read(argv[2])
        text = " ".join("%g" % v if isinstance(v, float) else str(int(v))
                        for v in values)
        print("%s[%s] %s" % (dtype, "x".join(map(str, shape)), text))
    elif command == "range":
        _, _, values = read(argv[2])
        low, high = float(argv[3]), float(argv[4])
        bad = [v for v in values if not low <= v < high]
        if bad:
            sys.exit("values outside [%g, %g): %s" % (low, high, bad[:10]))
        print("%d values in [%g, %g), %d distinct" %
              (len(values), low, high, len(set(values))))
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv)
