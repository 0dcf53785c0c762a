# Taawun: the two README commands (`make run`, `make test`) and the benchmarks (`make bench`).
# Each target installs what is missing first (Debian packages, tauri-driver), so a fresh machine
# with only Rust, gcc, Python and Node needs nothing else.

SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"

# Build: WebKitGTK headers. Run: the WebKit runtime comes with them; Noto for GTK's own widgets.
BUILD_PKGS := libwebkit2gtk-4.1-dev build-essential pkg-config fonts-noto-core
# Tests: WebKitWebDriver, a virtual display, xauth (only a Recommends of xvfb); the PDF
# references: hb-shape (libharfbuzz-bin), pdftotext/pdffonts/pdftoppm (poppler-utils), qpdf,
# compare/identify (imagemagick) for the reviewed page images; PostgreSQL's server for the
# national registry's tests (each starts a throwaway cluster on a Unix socket).
TEST_PKGS := $(BUILD_PKGS) webkit2gtk-driver xvfb xauth libharfbuzz-bin poppler-utils qpdf imagemagick postgresql

.PHONY: run test lint package package-test windows test-windows bench fuzz deps-build deps-test app app-release screenshot clean-e2e

define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps-build:
	$(call apt_install,$(BUILD_PKGS))

deps-test:
	$(call apt_install,$(TEST_PKGS))
	@command -v tauri-driver >/dev/null || [ -x "$${CARGO_HOME:-$$HOME/.cargo}/bin/tauri-driver" ] || $(CARGO) install tauri-driver --locked
	@# axe-core, injected into the window by the end-to-end tests (tests/tests/a11y.rs).
	@[ -f tools/a11y/node_modules/axe-core/axe.min.js ] || npm ci --prefix tools/a11y --no-audit --no-fund
	@# The independent PDF/A and PDF/UA judge of core/tests/validator.rs.
	@python3 -c "import page" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check page-validation

## make run: build the release app and open it on the default database (sample records on first start).
run: deps-build
	$(CARGO) build --release -p taawun --features custom-protocol
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "No display: starting Taawun on a virtual X display (install xvfb for this)."; \
		command -v xvfb-run >/dev/null || { $(SUDO) apt-get install -y -qq --no-install-recommends xvfb xauth; }; $(XVFB) $(TARGET_DIR)/release/taawun $(ARGS); \
	else \
		$(TARGET_DIR)/release/taawun $(ARGS); \
	fi

## make lint: one layout (rustfmt.toml) and no clippy warning, in every target of the tree.
lint: deps-build
	$(CARGO) fmt --all --check
	cd fuzz && $(CARGO) fmt --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## make test: the lint, then unit, integration, command-wiring and end-to-end tests (real window
## under Xvfb).
test: deps-test lint
	$(CARGO) test --workspace --exclude taawun-e2e
	$(CARGO) build -p taawun
	TAAWUN_APP=$(TARGET_DIR)/debug/taawun $(XVFB) $(CARGO) test -p taawun-e2e -- --test-threads=1

## make package: the .deb and .rpm of Taawun (the window, taawun-cli on the PATH, the desktop entry in
## Arabic/French/English, icons at every size, the WebKitGTK dependency, the backup file type),
## built by the Tauri bundler from npm's @tauri-apps/cli (pinned in tools/package).
TAURI := $(CURDIR)/tools/package/node_modules/.bin/tauri
BUNDLE_DIR := $(TARGET_DIR)/release/bundle
PKG_ROOT := $(TARGET_DIR)/package-root
package: deps-build
	@[ -x $(TAURI) ] || npm ci --prefix tools/package --no-audit --no-fund
	$(CARGO) build --release -p taawun-core --bin taawun-cli
	cd src-tauri && $(TAURI) build --ci --bundles deb,rpm \
		--config '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/taawun-cli":"$(TARGET_DIR)/release/taawun-cli"}},"rpm":{"files":{"/usr/bin/taawun-cli":"$(TARGET_DIR)/release/taawun-cli"}}}}}'
	@ls -l $(BUNDLE_DIR)/deb/*.deb $(BUNDLE_DIR)/rpm/*.rpm

## make windows: taawun.exe, taawun-cli.exe and the installer of Taawun for Windows
## (x86_64-pc-windows-gnu), cross-built here with Debian's Rust 1.96, its standard library's source
## and mingw-w64, the installer by Debian's NSIS; in $$TAAWUN_WINDOWS_TARGET_DIR (default
## /var/tmp/taawun-windows-target). See docs/windows.md.
windows:
	tools/windows/build.sh

## make test-windows: under Wine, in a throwaway prefix: the installer listed, installed, checked
## and uninstalled; the core's tests (those needing a Linux program skipped by name and counted);
## the CLI through a council's day.
test-windows: windows
	tools/windows/test.sh

## make package-test: the .deb unpacked into a scratch root, its metadata checked, and the
## installed program started on a fresh data folder under Xvfb until it shows the home view.
package-test: package deps-test
	./tools/package-test.sh "$(BUNDLE_DIR)" "$(PKG_ROOT)"
	TAAWUN_APP=$(PKG_ROOT)/usr/bin/taawun $(XVFB) $(CARGO) test -p taawun-e2e --test installed -- --ignored --test-threads=1

## make bench: criterion benchmarks of the store, then whole-process, size and memory figures.
bench: deps-test
	$(CARGO) bench -p taawun-core --bench store --bench vault
	$(CARGO) build --release -p taawun --features custom-protocol
	$(CARGO) build --release -p taawun-core --bin taawun-cli --example registry_xlsx
	TARGET_DIR=$(TARGET_DIR) ./tools/bench-process.sh
	TARGET_DIR=$(TARGET_DIR) ./tools/bench-vault.sh
	TARGET_DIR=$(TARGET_DIR) ./tools/bench-typeset.sh

## make fuzz: the CSV, date and search-query fuzzers, FUZZ_SECONDS each (cargo-fuzz and a nightly
## toolchain: `rustup toolchain install nightly`); new interesting inputs land in fuzz/corpus.
FUZZ_SECONDS ?= 300
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd fuzz && for t in csv_table workbook dates search_query; do \
		$(CARGO) +nightly fuzz run $$t corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=$$(if [ $$t = workbook ]; then echo 16384; else echo 4096; fi) || exit 1; \
	done
