# SPDX-License-Identifier: GPL-2.0
# LUO-BPF: build the kernel with the Live Update Orchestrator, its tools,
# and run the demo and the tests in QEMU.

TOP      := $(CURDIR)
BUILD    := $(TOP)/build
TREE     := $(BUILD)/linux
# VARIANT=debug (default): the test kernel, luo.config + debug.config (KASAN,
# kmemleak, lockdep, ...), for make check and make vm-run.
# VARIANT=kasan: debug + kasan.config, for the tests marked "vm-kernel: kasan".
# VARIANT=release: luo.config alone, for make demo and make bench.
VARIANT  ?= debug
SUFFIX   := -$(VARIANT)
OBJ      := $(BUILD)/obj$(SUFFIX)
HDR      := $(BUILD)/hdr
TOOLS    := $(BUILD)/tools
MODS     := $(BUILD)/modules$(SUFFIX)
BZIMAGE  := $(OBJ)/arch/x86/boot/bzImage
JOBS     ?= $(shell nproc)

export CCACHE_DIR ?= $(BUILD)/ccache
export CCACHE_BASEDIR := $(BUILD)
export CCACHE_NOHASHDIR := 1
KMAKE    := $(MAKE) -C $(TREE) O=$(OBJ) CC="ccache gcc" -j$(JOBS)
# kasan is debug plus KASAN.
CONFIG   := $(TOP)/kernel/configs/luo.config \
	    $(if $(filter kasan,$(VARIANT)),$(TOP)/kernel/configs/debug.config) \
	    $(wildcard $(TOP)/kernel/configs/$(VARIANT).config)

# Out-of-tree modules built against our kernel: dir in repo -> name
EXTMODS  := selftests/modules/luo_test selftests/modules/luo_canary samples/liveupdate

.PHONY: all deps kernel tree config modules tools check check-kasan demo vm-run bench clean distclean

all: kernel tools

# The Debian packages of scripts/deps.txt; silent when all are installed.
# Every target that builds or boots goes through tree, which needs them.
deps:
	@$(TOP)/scripts/deps.sh

tree: deps
	@$(TOP)/scripts/prepare-tree.sh

$(OBJ)/.config: $(CONFIG) | tree
	@mkdir -p $(OBJ)
	$(MAKE) -s -C $(TREE) O=$(OBJ) tinyconfig
	$(TREE)/scripts/kconfig/merge_config.sh -m -O $(OBJ) $(OBJ)/.config $(CONFIG) >/dev/null
	$(MAKE) -s -C $(TREE) O=$(OBJ) olddefconfig
	@cat $(CONFIG) | $(TOP)/scripts/check-config.sh $(OBJ)/.config -

config: tree $(OBJ)/.config

kernel: config
	@echo "kernel: building $$(cat $(TREE)/.luo-base) in $(OBJ)"
	@$(KMAKE) -s bzImage modules
	@$(MAKE) --no-print-directory modules
	@echo "kernel: $(BZIMAGE) (base $$(cat $(TREE)/.luo-base))"

# kbuild does not rebuild an external module's .mod.o and .module-common.o
# after a config change (struct module may change: "Invalid module format"),
# so objects older than the config go first.
modules:
	@for m in $(EXTMODS); do \
		d=$(MODS)/$$(basename $$m); \
		mkdir -p $$d; \
		find $$d -maxdepth 1 -name '*.o' ! -newer $(OBJ)/.config -delete; \
		$(KMAKE) -s M=$(TOP)/$$m MO=$$d modules || exit 1; \
	done

$(HDR)/.stamp: $(OBJ)/.config
	$(MAKE) -s -C $(TREE) O=$(OBJ) headers_install INSTALL_HDR_PATH=$(HDR)
	@touch $@

tools: tree $(HDR)/.stamp
	@LUO_OBJ=$(OBJ) $(TOP)/scripts/build-tools.sh

# Prints where the time goes: the build, then each guest and the guest phase.
check:
	@s=$$(date +%s); $(MAKE) --no-print-directory kernel tools && \
		echo "# build (kernel, modules, tools): $$(($$(date +%s) - s))s"
	@$(TOP)/selftests/run-tests.sh

# The tests marked "vm-kernel: kasan", on the KASAN kernel (build/obj-kasan).
check-kasan: kernel tools
	@$(MAKE) --no-print-directory kernel VARIANT=kasan
	@LUO_KASAN=1 $(TOP)/selftests/run-tests.sh

# The demo runs on the release kernel: debug checks would inflate the blackout.
demo:
	@$(MAKE) --no-print-directory kernel tools VARIANT=release
	@LUO_OBJ=$(BUILD)/obj-release LUO_MODS=$(BUILD)/modules-release \
		$(TOP)/selftests/demo.sh

# The bench kernel, and a copy of it whose dispatch is built without the
# trace events (-DNOTRACE on luo_orchestrator.o only), for the baseline.
bench:
	@$(MAKE) --no-print-directory kernel tools VARIANT=release
	@rsync -a --delete $(BUILD)/obj-release/ $(BUILD)/obj-release-noevents/
	@$(MAKE) -s -C $(TREE) O=$(BUILD)/obj-release-noevents CC="ccache gcc" -j$(JOBS) \
		LUO_ORCH_CFLAGS=-DNOTRACE bzImage
	@LUO_OBJ=$(BUILD)/obj-release LUO_MODS=$(BUILD)/modules-release \
		LUO_NOEVENTS_OBJ=$(BUILD)/obj-release-noevents $(TOP)/selftests/bench.sh

# CMD reaches the shell through the environment, unexpanded by make.
override CMD := $(value CMD)
export CMD
vm-run: kernel tools
	@$(TOP)/selftests/vm/run-vm.sh --name vm-run --cmd "$$CMD"

clean:
	rm -rf $(OBJ) $(MODS) $(TOOLS) $(HDR) $(BUILD)/vm

distclean:
	rm -rf $(BUILD)
