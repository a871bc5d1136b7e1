# chatdong — the two commands are `make run` and `make test` (see README.md).
#
# Everything runs from .venv, created on first use. Database and Redis come from
# DATABASE_URL / REDIS_URL when set; otherwise embedded servers start (chatdong/embedded/).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.chatdong-installed
# Runs a command with DATABASE_URL / REDIS_URL set (embedded servers if they are unset).
WITH_SERVICES := $(VPY) -m chatdong.embedded exec --

# The first Python >= 3.11 on PATH (override with `make PYTHON=/path/to/python3.12 ...`).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	  && { echo $$p; break; }; done)

PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: help install run test test-clock lint bench shell migrate seed

help:
	@echo "make run      내장(또는 설정된) PostgreSQL·Redis로 웹 + Celery worker/beat 실행"
	@echo "make test     테스트 실행 (PYTEST_ARGS='-k 이름' 처럼 인자 전달)"
	@echo "make test-clock  시계를 옮겨 테스트 (CLOCKS='kst-0005 year-end', tests/clock.py 참고)"
	@echo "make lint     ruff 검사"
	@echo "make bench    bench/ 의 벤치마크 실행"
	@echo "make shell    Django shell"
	@echo "make migrate  마이그레이션 적용"
	@echo "make seed     데모 데이터 생성 (manage.py seed_demo)"

$(VPY):
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.11 이상이 필요합니다 (python3.11, python3.12 … 를 PATH에서 찾지 못했습니다)." >&2; exit 1; fi
	@echo "[chatdong] $(PYTHON) ($$($(PYTHON) -c 'import sys; print(sys.version.split()[0])'))로 $(VENV)를 만듭니다…"
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml is newer than the last successful install.
$(STAMP): pyproject.toml | $(VPY)
	@echo "[chatdong] 의존성을 설치합니다 (처음에는 몇 분 걸립니다)…"
	$(VPY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VPY) -m chatdong.embedded run

# Embedded Redis: logical db 1, so tests never share queues with a `make run` worker.
test: $(STAMP)
	$(VPY) -m chatdong.embedded exec --redis-db 1 -- $(VENV)/bin/pytest $(PYTEST_ARGS)

# The suite on shifted clocks (tests/clock.py): once per moment in CLOCKS, stopping at the
# first red one. Default: the two moments that broke CI before (Seoul just after midnight,
# when the UTC date is still yesterday) and the turn of the year.
CLOCKS ?= kst-0005 year-end
test-clock: $(STAMP)
	@set -e; for clock in $(CLOCKS); do \
	  echo "[chatdong] 시계: $$clock"; \
	  $(VPY) -m chatdong.embedded exec --redis-db 1 -- $(VENV)/bin/pytest --clock=$$clock $(PYTEST_ARGS); \
	done

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Each bench/<name>.py is run as `python -m bench.<name>` and prints its figures and ratios.
# BENCH=<name> picks one; BENCH_ARGS are passed to each (e.g. BENCH_ARGS='--residents 200000').
BENCH ?=
bench: $(STAMP)
	@$(WITH_SERVICES) bash -c '\
	  set -euo pipefail; shopt -s nullglob; found=0; \
	  for f in bench/*.py; do \
	    name=$$(basename "$$f" .py); \
	    case "$$name" in _*) continue;; esac; \
	    if [ -n "$(BENCH)" ] && [ "$$name" != "$(BENCH)" ]; then continue; fi; \
	    found=1; echo "== bench.$$name"; $(VPY) -m "bench.$$name" $(BENCH_ARGS); \
	  done; \
	  if [ $$found = 0 ]; then echo "실행할 벤치마크가 없습니다 (bench/*.py, BENCH=$(BENCH))."; exit 1; fi'

shell: $(STAMP)
	$(WITH_SERVICES) $(VPY) manage.py shell

migrate: $(STAMP)
	$(WITH_SERVICES) $(VPY) manage.py migrate

seed: $(STAMP)
	$(WITH_SERVICES) $(VPY) manage.py seed_demo

