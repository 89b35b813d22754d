# featscale — the two commands a user needs: `make run` and `make test`.
BUILD    ?= build
JOBS     ?= $(shell nproc)
CMAKE_ARGS ?= -DCMAKE_BUILD_TYPE=Release

.PHONY: all deps configure build programs run cli-demo test test-fast install deb fuzz asan bench screenshots translations-update clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_ARGS) >/dev/null

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# Only the two programs (no tests, benchmarks or fuzzers): what `make run` needs.
programs: configure
	cmake --build $(BUILD) -j$(JOBS) --target featscale featscale-cli

# Opens the GUI on the bundled sample images with the default (untrained, labelled) weights.
# Without a display it starts a virtual one (xvfb-run) so the command still works on a server.
run: programs
	@if [ -x $(BUILD)/app/featscale ]; then \
	  if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then $(BUILD)/app/featscale; \
	  else echo "no display: starting the GUI under xvfb-run"; xvfb-run -a $(BUILD)/app/featscale; fi; \
	else \
	  $(BUILD)/app/featscale-cli analyze $(BUILD)/share/featscale/samples --out $(BUILD)/sample-run; \
	fi

# Headless demo of the CLI on the bundled samples.
cli-demo: programs
	$(BUILD)/app/featscale-cli analyze $(BUILD)/share/featscale/samples --layers all --out $(BUILD)/sample-run

test: build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 1500
	@if [ -x fuzz/run.sh ]; then bash fuzz/run.sh 60; fi

# Installs into PREFIX (default /usr/local; see README "Install").
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# The Debian package, $(BUILD)/featscale_<version>_<arch>.deb (install with: apt install ./that.deb).
deb: build
	cd $(BUILD) && cpack -G DEB

fuzz: deps
	bash fuzz/run.sh 600

asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFEATSCALE_PCH=OFF \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" >/dev/null
	cmake --build build-asan -j$(JOBS)
	cd build-asan && QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j2 --timeout 3000

# Builds only what it measures (bench/run.sh), then writes docs/PERFORMANCE.md; ~15 min on 2 cores.
bench: configure
	BUILD=$(BUILD) bash bench/run.sh

screenshots: build
	bash scripts/screenshots.sh

# Refreshes translations/*.ts from the GUI's sources (lupdate); translate what it marks unfinished.
translations-update:
	bash scripts/update-translations.sh

clean:
	rm -rf $(BUILD)
