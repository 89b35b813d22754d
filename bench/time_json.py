#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""One JSON result line from GNU time's -v report of a process timed from outside.

  time_json.py TIME_V_OUTPUT KEY=VALUE...    (values that look like integers become numbers)
"""
import json
import re
import sys


def main():
    text = open(sys.argv[1]).read()

    def num(label):
        return float(re.search(re.escape(label) + r":\s*([0-9.:]+)", text).group(1).split()[0])

    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*(\S+)", text).group(1).split(":")
    secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
    line = {}
    for kv in sys.argv[2:]:
        k, v = kv.split("=", 1)
        line[k] = int(v) if v.isdigit() else v
    line.update({"seconds": secs, "user_s": num("User time (seconds)"), "system_s": num("System time (seconds)"),
                 "max_rss_kb": int(num("Maximum resident set size (kbytes)")),
                 "minor_faults": int(num("Minor (reclaiming a frame) page faults"))})
    if isinstance(line.get("images"), int):
        line["images_per_s"] = line["images"] / secs
    print(json.dumps(line))


if __name__ == "__main__":
    main()
