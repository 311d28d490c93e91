# Tickscope: the two commands a newcomer runs are `make run` and `make test`.
# Both install the system libraries they need first (Debian 12).

SWIFT ?= swift
APT_PACKAGES = libzstd-dev liblz4-dev libxxhash-dev libssl-dev zlib1g-dev libncurses-dev pkg-config tmux gcc g++ python3-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test deps build release bench bench-sdk sdk python-env fuzz clean

# The Python environment the SDK tests use: numpy and bindings/python, installed with pip.
VENV = .build/venv
PYTHON ?= python3

## run: build and open the debugger on your copy of the bundled ecosystem recording (needs a terminal;
## the copy is made on first use in ~/.local/state/tickscope/samples, so forks made there leave the repository alone)
run: deps
	$(SWIFT) build -c release --product tickscope
	.build/release/tickscope

## test: run every test (no terminal needed), the C and Python examples included
test: deps python-env
	$(SWIFT) build --build-tests
	TICKSCOPE_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test --skip-build --disable-xctest

## python-env: a virtual environment with numpy and the tickscope package (pip install ./bindings/python)
python-env: $(VENV)/.installed
$(VENV)/.installed: bindings/python/pyproject.toml bindings/python/tickscope/__init__.py
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check numpy
	$(VENV)/bin/pip install -q --disable-pip-version-check --force-reinstall --no-deps ./bindings/python
	touch $@

## sdk: libtickscope.so and tickscope.h in .build/sdk (release build), and the library beside the Python package
sdk: deps
	$(SWIFT) build -c release --product TickscopeC
	mkdir -p .build/sdk/lib .build/sdk/include bindings/python/tickscope/_lib
	cp .build/release/libTickscopeC.so .build/sdk/lib/libtickscope.so
	cp include/tickscope.h .build/sdk/include/
	cp .build/release/libTickscopeC.so bindings/python/tickscope/_lib/libtickscope.so

## deps: install the Debian packages that are missing
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## bench: the codec benchmark on W2 at 10k, 100k and 1M entities (release build)
bench: deps
	$(SWIFT) build -c release --product tickscope
	for n in 10000 100000 1000000; do .build/release/tickscope bench codec --workload swarm --entities $$n; done
	.build/release/tickscope bench codec --workload ramp --entities 1000000

## bench-sdk: W3 recorded through the C and Python libraries (100,000 entities x 100 ticks, 1,000,000 x 20; as fast as they run, then paced at 100 and 10 ticks a second, copied and lent), one JSON line each
bench-sdk: sdk python-env
	cc -std=c11 -O2 -Wall -Wextra -Werror Examples/c/bench_sdk.c -Iinclude -L.build/sdk/lib -ltickscope -Wl,-rpath,$(CURDIR)/.build/sdk/lib -lm -o .build/sdk/bench_sdk
	for run in "100000 100 0" "1000000 20 0" "100000 100 100" "1000000 20 10" "100000 100 100 lend" "1000000 20 10 lend"; do \
	  set -- $$run; rm -rf .build/sdk/bench-store; \
	  .build/sdk/bench_sdk .build/sdk/bench-store $$@ || exit 1; rm -rf .build/sdk/bench-store; \
	  TICKSCOPE_LIBRARY=$(CURDIR)/.build/sdk/lib/libtickscope.so $(VENV)/bin/python Examples/python/bench_sdk.py .build/sdk/bench-store $$@ || exit 1; \
	done; rm -rf .build/sdk/bench-store

## fuzz: run each decoder under libFuzzer for FUZZ_SECONDS (default 60) each
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= snapshot block jsonl store store-folder foreign config
fuzz: deps
	Fuzz/make-seeds.sh .build-fuzz/seeds
	for t in $(FUZZ_TARGETS); do \
	  $(SWIFT) build --product fuzz-$$t --scratch-path .build-fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address || exit 1; \
	  mkdir -p .build-fuzz/corpus-$$t; \
	  SWIFT_BACKTRACE=enable=no .build-fuzz/debug/fuzz-$$t .build-fuzz/corpus-$$t .build-fuzz/seeds/$$t \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 \
	    -artifact_prefix=.build-fuzz/crash-$$t- || exit 1; \
	done

clean:
	rm -rf .build .build-fuzz
