#!/usr/bin/env python3
"""Starts N copies of a command at once and waits for all of them.

  parallel.py N COMMAND [ARG...]

Fails when any copy fails or when the copies print different stdout; prints
the stdout of the first copy.
"""

import subprocess
import sys

count, command = int(sys.argv[1]), sys.argv[2:]
processes = [subprocess.Popen(command, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(count)]
results = [p.communicate() + (p.returncode,) for p in processes]
for out, err, status in results:
    if status != 0:
        sys.stderr.write(err.decode())
        sys.exit("a copy exited with status %d" % status)
if len({out for out, _, _ in results}) != 1:
    sys.exit("the copies printed different output")
sys.stdout.write(results[0][0].decode())
