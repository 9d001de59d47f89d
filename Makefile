# The README's two commands. Everything else is meson's.
#   make run     install what is missing, build, launch the browser
#   make check   the same plus test packages, then the whole suite (GUI tests under Xvfb)
SHELL := /bin/bash
BUILD ?= build
WERROR ?= false
ARGS ?=

.PHONY: all run demo check deps test-deps bench-deps build bench fuzz clean

all: build

deps:
	@tools/install-deps

test-deps:
	@tools/install-deps --test

bench-deps:
	@tools/install-deps --bench

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dwerror=$(WERROR)

build: $(BUILD)/build.ninja
	@meson configure $(BUILD) -Dwerror=$(WERROR) >/dev/null
	ninja -C $(BUILD)

run: deps build
	@if [ -z "$${DISPLAY:-}" ] && [ -z "$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): run 'xvfb-run -a make run', or take a headless screenshot with '$(BUILD)/browser/browser --headless --screenshot=page.png URL'."; \
	else \
	  $(BUILD)/browser/browser $(ARGS); \
	fi

# Three sites on one machine: a server on a free port of 127.0.0.1 (printed)
# answers for every *.test name, and the browser maps those names there.
demo: deps build
	@tools/demo $(BUILD) $(ARGS)

# meson prints "Ok: N" and "Fail: N"; the last line is the contract: "N passed, N failed".
check: test-deps build
	@set +e -o pipefail; \
	xvfb-run -a -s "-screen 0 1600x1200x24" meson test -C $(BUILD) --print-errorlogs --num-processes 2 \
	  2>&1 | tee $(BUILD)/check.log; \
	rc=$$?; \
	ok=$$(awk '/^Ok:/ {print $$2}' $(BUILD)/check.log); \
	fail=$$(awk '/^(Fail|Unexpected Pass|Timeout):/ {n += $$2} END {print n+0}' $(BUILD)/check.log); \
	if [ $$rc -ne 0 ]; then \
	  echo "What failed (the full log is $(BUILD)/meson-logs/testlog.txt):"; \
	  grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|ERROR|TIMEOUT) |^▶ .* (FAIL|ERROR|TIMEOUT)' $(BUILD)/check.log | tail -n 20; \
	  grep -E '^(not ok|Bail out|# Bail out)|^# [A-Za-z.]*(Error|Exception)\b|^[A-Za-z.]*(Error|Exception): ' \
	    $(BUILD)/meson-logs/testlog.txt | tail -n 30; \
	fi; \
	echo "$${ok:-0} passed, $${fail:-0} failed"; \
	exit $$rc

bench: bench-deps build
	$(BUILD)/tests/bench-ipc
	$(BUILD)/tests/bench-data-pipe

# libFuzzer targets, one per parser of untrusted input: docs/fuzzing.md.
# Each runs FUZZ_SECONDS on a copy of its seed corpus (libFuzzer adds what it
# finds to the corpus it runs on); a crash is saved as build-fuzz/crash-NAME-*.
# GLib criticals count as findings (their SIGTRAP is a crash to ASan); a target's
# tests/fuzz/NAME.dict is its dictionary; tests/fuzz/lsan.supp names the font caches
# that are not leaks.
FUZZ_TARGETS ?= frame record css document plugin-host bidi webdriver http script-result xpath
FUZZ_SECONDS ?= 60
fuzz:
	[ -d build-fuzz ] || CC=clang meson setup build-fuzz -Dfuzzing=true
	ninja -C build-fuzz $(addprefix tests/fuzz-,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t && cp -n tests/fuzz-corpus/$$t/* build-fuzz/corpus/$$t/ && \
	  echo "fuzz-$$t: $(FUZZ_SECONDS) s" && \
	  dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	  G_DEBUG=fatal-criticals ASAN_OPTIONS=handle_sigtrap=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp \
	    build-fuzz/tests/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$dict \
	    -artifact_prefix=build-fuzz/crash-$$t- build-fuzz/corpus/$$t || exit 1; \
	done

clean:
	rm -rf $(BUILD)
