# Zhucan (助残) — the two commands of the quick start, and the benchmarks.
#
#   make demo    build, then run the main job end to end on embedded defaults (demo keys)
#   make test    build, then run every test suite (vectors from ../shared/vectors)
#
# Each target first installs the Debian packages it needs that are missing (as root, or
# through sudo): `apt-get update` once, then `apt-get install -y …`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(PATH):/opt/swift/usr/bin

SWIFT ?= swift
DEMO_DIR ?= demo-data
# SwiftPM links .build/debug to the platform's build folder.
ZHUCAN := .build/debug/zhucan
ZHUCAN_VECTORS ?= $(abspath ../shared/vectors)
export ZHUCAN_VECTORS

# Build and run: OpenSSL 3, zlib, libqrencode (and pkg-config to find them).
BUILD_PACKAGES := pkg-config libssl-dev zlib1g-dev libqrencode-dev openssl
# Tests: zbarimg reads our QR codes back (PNG, and SVG through ImageMagick's SVG coder).
TEST_PACKAGES := $(BUILD_PACKAGES) zbar-tools libmagickcore-6.q16-6-extra
# Benchmarks.
BENCH_PACKAGES := $(BUILD_PACKAGES) wrk

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

.PHONY: help demo test build bench-signing clean

help:
	@echo "make demo           run the main job end to end with the demo keys"
	@echo "make test           run every test suite"
	@echo "make bench-signing  sign/verify rates beside openssl speed (release build)"

build:
	$(call install,$(BUILD_PACKAGES))
	$(SWIFT) build --product zhucan

# The main job, step by step; make prints each command before running it.
demo: build
	@rm -rf "$(DEMO_DIR)" && mkdir -p "$(DEMO_DIR)"
	@echo; echo "== 1. Generate an SM2 issuer key (private key 0600, public key SPKI) =="
	$(ZHUCAN) keys generate --algorithm sm2 --out $(DEMO_DIR)/issuer
	$(ZHUCAN) keys show $(DEMO_DIR)/issuer.pub.pem
	@echo; echo "== 2. Sign a file and verify it, with zhucan and with the openssl command line =="
	@echo "平湖市残联 demo document" > $(DEMO_DIR)/document.txt
	$(ZHUCAN) keys sign --key $(DEMO_DIR)/issuer.key.pem --in $(DEMO_DIR)/document.txt --out $(DEMO_DIR)/document.sig
	$(ZHUCAN) keys verify --pub $(DEMO_DIR)/issuer.pub.pem --in $(DEMO_DIR)/document.txt --sig $(DEMO_DIR)/document.sig
	openssl dgst -sm3 -verify $(DEMO_DIR)/issuer.pub.pem -sigopt distid:1234567812345678 -signature $(DEMO_DIR)/document.sig $(DEMO_DIR)/document.txt
	@echo; echo "== 3. A tampered file does not verify (exit status 1) =="
	@echo "tampered" >> $(DEMO_DIR)/document.txt
	$(ZHUCAN) keys verify --pub $(DEMO_DIR)/issuer.pub.pem --in $(DEMO_DIR)/document.txt --sig $(DEMO_DIR)/document.sig || echo "exit status $$?"
	@echo; echo "== 4. The public demo keys in keys/ (never for real certificates) =="
	@for k in keys/demo-*.pub.pem; do $(ZHUCAN) keys show "$$k" | sed -n '1p;3,4p'; done
	@echo; echo "Done. Try: $(ZHUCAN) --help"


test:
	$(call install,$(TEST_PACKAGES))
	@[ -d "$(ZHUCAN_VECTORS)" ] || echo "*** test vectors not found at $(ZHUCAN_VECTORS): vector suites are skipped (set ZHUCAN_VECTORS) ***"
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench-signing:
	$(call install,$(BENCH_PACKAGES))
	$(SWIFT) build -c release --product zhucan-bench
	"$$($(SWIFT) build -c release --show-bin-path)/zhucan-bench" signing

clean:
	rm -rf .build "$(DEMO_DIR)"
