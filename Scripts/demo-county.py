#!/usr/bin/env python3
"""A small generated county for `make demo` and manual trials: N holders with valid,
fictitious citizen ID numbers (GB 11643-1999 check characters), and the files a clerk
brings from other systems.

  Scripts/demo-county.py OUT_DIR [N]

writes, in OUT_DIR:
  batch.csv       certificate applications (UTF-8), for `zhucan issue --batch`
  household.csv   a Civil Affairs extract in GB18030, as Excel saves "CSV" on Chinese
                  Windows: 身份证号, 低保家庭, 低保边缘家庭, 在职, for `zhucan household import`
  roster.csv      the federation's roster of certified persons (every holder, and as many
                  again without an electronic certificate), for `zhucan roster import`
  payments.csv    a month of living-subsidy payments for the first third of the 低保 holders,
                  for `zhucan served import`
Deterministic: the same N gives the same files.
"""
import random
import sys
from pathlib import Path

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def citizen_id(region, birth, serial):
    body = f"{region}{birth}{serial:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def main():
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261203)
    holders = []
    for index in range(count):
        year = rng.randint(1950, 2015)
        birth = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        serial = 100 + index % 900
        holders.append({
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "id": citizen_id("330482", birth, serial) if index < 900 else citizen_id("330482", birth, serial),
            "category": rng.randint(1, 7),
            "level": rng.choice([1, 2, 3, 3, 4, 4]),
        })
    # Unique IDs (a clash of birth date and serial is possible but rare): keep the first.
    seen, unique = set(), []
    for holder in holders:
        if holder["id"] not in seen:
            seen.add(holder["id"])
            unique.append(holder)
    holders = unique

    with open(out / "batch.csv", "w", encoding="utf-8", newline="") as f:
        f.write("姓名,身份证号,残疾类别,残疾等级,户籍地\r\n")
        for h in holders:
            f.write(f"{h['name']},{h['id']},{h['category']},{h['level']},330482\r\n")

    with open(out / "household.csv", "w", encoding="gb18030", newline="") as f:
        f.write("身份证号,低保家庭,低保边缘家庭,单人户施保,在职\r\n")
        for i, h in enumerate(holders):
            dibao = i % 5 == 0
            edge = not dibao and i % 7 == 0
            employed = "是" if i % 3 == 0 else ("否" if i % 3 == 1 else "")
            f.write(f"{h['id']},{'是' if dibao else '否'},{'是' if edge else '否'},否,{employed}\r\n")

    with open(out / "roster.csv", "w", encoding="utf-8", newline="") as f:
        f.write("身份证号\r\n")
        for h in holders:
            f.write(h["id"] + "\r\n")
        for i in range(len(holders)):
            year = rng.randint(1950, 2015)
            f.write(citizen_id("330482", f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}", 900 + i % 99) + "\r\n")

    with open(out / "payments.csv", "w", encoding="utf-8", newline="") as f:
        f.write("身份证号,发放日期,金额\r\n")
        for i, h in enumerate(holders):
            if i % 15 == 0:
                f.write(f"{h['id']},2026-11-30,230.00\r\n")
    print(f"{len(holders)} holders in {out}: batch.csv, household.csv (GB18030), roster.csv, payments.csv")


if __name__ == "__main__":
    main()
