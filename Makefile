# Zhucan (助残) — the two commands of the quick start, and the benchmarks.
#
#   make demo    build, then run the main job end to end on embedded defaults (demo keys),
#                and leave the issuer's service and a verification node running (make demo-stop)
#   make test    build, then run every test suite (vectors from ../shared/vectors; PostgreSQL
#                started for the duration, in a temporary folder)
#
# Each target first installs the Debian packages it needs that are missing (as root, or
# through sudo): `apt-get update` once, then `apt-get install -y …`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(PATH):/opt/swift/usr/bin

SWIFT ?= swift
DEMO_DIR ?= demo-data
DEMO_PORT ?= 8080
# SwiftPM links .build/debug to the platform's build folder.
ZHUCAN := .build/debug/zhucan
ZHUCAN_VECTORS ?= $(abspath ../shared/vectors)
export ZHUCAN_VECTORS

# Build and run: OpenSSL 3, zlib, libqrencode (and pkg-config to find them).
BUILD_PACKAGES := pkg-config libssl-dev zlib1g-dev libqrencode-dev openssl
# The demo's last step calls the service with curl.
DEMO_PACKAGES := $(BUILD_PACKAGES) curl python3
# Tests: zbarimg reads our QR codes back (PNG, and SVG through ImageMagick's SVG coder);
# Python's venv and pip install openapi-spec-validator, which checks Docs/openapi.json;
# PostgreSQL runs the service-store tests against a real server (Scripts/with-postgres.sh).
TEST_PACKAGES := $(BUILD_PACKAGES) zbar-tools libmagickcore-6.q16-6-extra python3 python3-venv postgresql chromium chromium-driver
# Benchmarks.
BENCH_PACKAGES := $(BUILD_PACKAGES) wrk curl

# openapi-spec-validator 0.9.0 in a virtual environment of its own under .build (it sees the
# system's site-packages, so an installed copy needs no network; otherwise pip fetches it
# from PyPI). The wrapper runs it as `python -m openapi_spec_validator FILE`.
OPENAPI_VENV := .build/openapi-venv
OPENAPI_VALIDATOR := $(OPENAPI_VENV)/validate

# $(call install,PACKAGES): install those of PACKAGES that dpkg does not list as installed.
define install
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "installing Debian packages:$$missing"; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get update -q; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing; \
	fi
endef

.PHONY: help demo demo-stop test build fuzz fuzz-merge bench-signing bench-batch bench-log bench-http clean

help:
	@echo "make demo           run the main job end to end with the demo keys"
	@echo "make test           run every test suite"
	@echo "make bench-signing  sign/verify rates beside openssl speed (release build; ROUNDS=7)"
	@echo "make bench-batch    batch issuance of 100,000 certificates beside raw signing, then audit and reports (ROWS=N)"
	@echo "make bench-log      the transparency log at 1,000,000 entries: appends, proofs, full audit (ENTRIES=N)"
	@echo "make bench-http     POST /v1/verify under wrk beside GET /healthz and raw verification (DURATION=30s)"
	@echo "make fuzz           libFuzzer on every decoder (FUZZ_SECONDS=60 each; TARGETS=\"cbor base45\" for some)"
	@echo "make fuzz-merge     minimise what make fuzz found into the committed corpus (Fuzz/Corpus)"
	@echo "make demo-stop      stop the service that make demo left running"

build:
	$(call install,$(BUILD_PACKAGES))
	$(SWIFT) build --product zhucan

# The main job, step by step; make prints each command before running it.
demo: build
	$(call install,$(DEMO_PACKAGES))
	@Scripts/demo-serve.sh stop "$(DEMO_DIR)"
	@rm -rf "$(DEMO_DIR)"
	@echo; echo "== 1. Create a demo issuer workspace (平湖市残联, public demo keys, SM2) =="
	$(ZHUCAN) init --demo --dir $(DEMO_DIR)
	@echo; echo "== 2. Issue an electronic disability certificate (肢体三级 / physical, level 3) =="
	$(ZHUCAN) issue --dir $(DEMO_DIR) --name 王小明 --id-number 360121197011210013 --category 4 --level 3 --region 330482 --ssc-card-number A12345678 --json | tee $(DEMO_DIR)/certificate.json
	@echo; echo "== 3. Publish the Pinghu one-thing catalogue; record household facts; list the holder's entitlements =="
	$(ZHUCAN) catalogue publish --dir $(DEMO_DIR) --in Sources/ZhucanCatalogue/Resources/pinghu-catalogue.json
	@# The last edition shipped ends on 2027-12-31: the demo moves its end far out, so that it runs in any later year.
	sed 's/"validUntil": "2027-12-31"/"validUntil": "2099-12-31"/' Sources/ZhucanCatalogue/Resources/pinghu-catalogue-2027.json > $(DEMO_DIR)/catalogue-2027.json
	$(ZHUCAN) catalogue publish --dir $(DEMO_DIR) --in $(DEMO_DIR)/catalogue-2027.json --tests Sources/ZhucanCatalogue/Resources/pinghu-catalogue-2027.tests.json
	$(ZHUCAN) household --dir $(DEMO_DIR) --certificate 36012119701121001343 --set dibaoEdge --unset dibao,singlePerson,distressedChild
	$(ZHUCAN) catalogue entitlements --dir $(DEMO_DIR) --certificate 36012119701121001343
	@echo; echo "== 4. Mint an identity code (holder shows category) and a one-time service code =="
	$(ZHUCAN) code identity --dir $(DEMO_DIR) --certificate 36012119701121001343 --show-category > $(DEMO_DIR)/identity.txt
	$(ZHUCAN) code service --dir $(DEMO_DIR) --certificate 36012119701121001343 --service free-bus --one-time > $(DEMO_DIR)/service.txt
	@echo; echo "== 5. The identity code as a QR code for the holder's phone =="
	$(ZHUCAN) qr @$(DEMO_DIR)/identity.txt --format terminal
	$(ZHUCAN) qr @$(DEMO_DIR)/identity.txt --format png --out $(DEMO_DIR)/identity.png
	@echo; echo "== 6. A verifier checks both codes (bus company: service free-bus) =="
	$(ZHUCAN) verify @$(DEMO_DIR)/identity.txt --dir $(DEMO_DIR)
	$(ZHUCAN) verify @$(DEMO_DIR)/service.txt --dir $(DEMO_DIR) --service free-bus
	@echo; echo "== 7. What is inside a code =="
	$(ZHUCAN) inspect @$(DEMO_DIR)/identity.txt
	@echo; echo "== 8. The plan in its own terms, on a generated county of 200 holders: household facts from a GB18030 extract, who is newly entitled, a month's payments, the list to contact, the plan's targets (Docs/plan.md) =="
	python3 Scripts/demo-county.py $(DEMO_DIR)/county 200
	$(ZHUCAN) issue --dir $(DEMO_DIR) --batch $(DEMO_DIR)/county/batch.csv
	$(ZHUCAN) household import --dir $(DEMO_DIR) --file $(DEMO_DIR)/county/household.csv --source 民政局低保名册 --as-of 2026-11-30
	$(ZHUCAN) served import --dir $(DEMO_DIR) --file $(DEMO_DIR)/county/payments.csv --service living-subsidy --source 财政发放-2026-11
	$(ZHUCAN) roster import --dir $(DEMO_DIR) --file $(DEMO_DIR)/county/roster.csv --source 持证残疾人名册
	$(ZHUCAN) catalogue discover --dir $(DEMO_DIR) --service living-subsidy --out $(DEMO_DIR)/county/contact.xlsx --purpose 演示：联系新增可享人员
	$(ZHUCAN) report plan --dir $(DEMO_DIR)
	@echo; echo "== 9. The verification service over HTTP: an API key with every scope, then zhucan serve in the background =="
	$(ZHUCAN) apikey create --dir $(DEMO_DIR) --name demo --scope verify --scope redeem --scope lookup --scope issue --scope audit > $(DEMO_DIR)/apikey.txt
	@Scripts/demo-serve.sh "$(ZHUCAN)" "$(DEMO_DIR)" "$(DEMO_PORT)"
	@echo
	@echo "Next, try:"
	@echo "  (the codes above live 5 and 10 minutes: mint fresh ones with the commands of step 4)"
	@echo "  $(ZHUCAN) verify @$(DEMO_DIR)/service.txt --dir $(DEMO_DIR) --service park        # wrong_service"
	@echo "  $(ZHUCAN) suspend --dir $(DEMO_DIR) --certificate 36012119701121001343 --reason demo"
	@echo "  $(ZHUCAN) code identity --dir $(DEMO_DIR) --certificate 36012119701121001343     # refused: suspended"
	@echo "  python3 -c 'import json; print(json.load(open(\"$(DEMO_DIR)/certificate.json\"))[\"code\"])' | $(ZHUCAN) verify @- --dir $(DEMO_DIR)  # suspended"
	@echo "  $(ZHUCAN) verify @$(DEMO_DIR)/identity.txt --dir $(DEMO_DIR) --at $$(date -u -d '+1 hour' +%FT%TZ)  # expired: an identity code lives 5 minutes"
	@echo "  $(ZHUCAN) verify @$(DEMO_DIR)/identity.txt --dir $(DEMO_DIR) --at 2030-01-01           # status_unknown: the trust list (180 days) has expired by then"
	@echo "  $(ZHUCAN) catalogue coverage --dir $(DEMO_DIR)"
	@echo "  $(ZHUCAN) audit signatures --dir $(DEMO_DIR)"
	@echo "  $(ZHUCAN) trust-list publish --dir $(DEMO_DIR) --out trust-list.txt"
	@echo "  $(ZHUCAN) --help"

demo-stop:
	@Scripts/demo-serve.sh stop "$(DEMO_DIR)"

test: $(OPENAPI_VALIDATOR)
	$(call install,$(TEST_PACKAGES))
	@[ -d "$(ZHUCAN_VECTORS)" ] || echo "*** test vectors not found at $(ZHUCAN_VECTORS): vector suites are skipped (set ZHUCAN_VECTORS) ***"
	$(SWIFT) build --build-tests
	@# A throw-away PostgreSQL server runs beside the tests (ZHUCAN_TEST_POSTGRES_URL). The
	@# whole output goes to the terminal and to .build/test.log; on failure the failing tests
	@# are repeated at the end, where a CI log's tail shows them.
	@ZHUCAN_OPENAPI_VALIDATOR="$(abspath $(OPENAPI_VALIDATOR))" Scripts/with-postgres.sh $(SWIFT) test --skip-build 2>&1 | tee .build/test.log || { \
		echo; echo "*** failing tests (from .build/test.log):"; grep -E "✘|error:" .build/test.log | cut -c1-400 | head -n 60; exit 1; }
	@# The people's pages in headless Chromium, with axe-core (Tests/Browser).
	@echo; echo "== browser tests: the holder's and the window's pages =="
	Scripts/browser-tests.sh "$$($(SWIFT) build --show-bin-path)/zhucan"
	@# A smoke run of every fuzz target (libFuzzer with AddressSanitizer), $(FUZZ_SMOKE_SECONDS) s each.
	@echo; echo "== fuzz smoke: $(FUZZ_SMOKE_SECONDS) s per target =="
	Scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS)

$(OPENAPI_VALIDATOR):
	$(call install,python3 python3-venv)
	python3 -m venv --system-site-packages "$(OPENAPI_VENV)"
	@if "$(OPENAPI_VENV)/bin/pip" install --quiet "openapi-spec-validator==0.9.0"; then \
		printf '#!/bin/sh\nexec "%s/bin/python" -m openapi_spec_validator "$$@"\n' "$(abspath $(OPENAPI_VENV))" > "$@"; \
		chmod +x "$@"; \
	else \
		echo "*** cannot install openapi-spec-validator (no PyPI?): the OpenAPI validity check is skipped ***"; \
	fi

# Coverage-guided fuzzing: every decoder a stranger's bytes reach (Fuzz/README.md).
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
fuzz:
	$(call install,$(BUILD_PACKAGES) python3)
	Scripts/fuzz.sh $(FUZZ_SECONDS) $(TARGETS)

fuzz-merge:
	Scripts/fuzz-merge.sh

bench-signing:
	$(call install,$(BENCH_PACKAGES))
	$(SWIFT) build -c release --product zhucan-bench
	"$$($(SWIFT) build -c release --show-bin-path)/zhucan-bench" signing --rounds $${ROUNDS:-7}

bench-batch:
	$(call install,$(BENCH_PACKAGES))
	$(SWIFT) build -c release --product zhucan
	$(SWIFT) build -c release --product zhucan-bench
	"$$($(SWIFT) build -c release --show-bin-path)/zhucan-bench" batch --rows $${ROWS:-100000}

bench-log:
	$(call install,$(BENCH_PACKAGES))
	$(SWIFT) build -c release --product zhucan
	$(SWIFT) build -c release --product zhucan-bench
	"$$($(SWIFT) build -c release --show-bin-path)/zhucan-bench" log --entries $${ENTRIES:-1000000}

# wrk against POST /v1/verify (SM2 and ES256 codes) and GET /healthz on a release build, then
# the raw verification rate in process (Scripts/bench-http.sh; DURATION, THREADS, CONNECTIONS).
bench-http:
	$(call install,$(BENCH_PACKAGES))
	$(SWIFT) build -c release --product zhucan
	$(SWIFT) build -c release --product zhucan-bench
	Scripts/bench-http.sh "$$($(SWIFT) build -c release --show-bin-path)"

clean: demo-stop
	rm -rf .build .build-fuzz "$(DEMO_DIR)"
