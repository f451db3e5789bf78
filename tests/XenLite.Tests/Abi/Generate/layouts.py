import os, re, subprocess, sys
# Prints "arch ctype field value" lines: sizeof, offsetof and member sizes of the ABI structs,
# computed by clang from Xen's public headers (directory in $XEN_PUBLIC) for each target.
# (struct C type, [fields], arches)
X64, X32, A64 = "x86_64", "x86_32", "arm64"
ALL = [X64, X32, A64]
S = [
 ("struct multicall_entry", ["op","result","args"], ALL),
 ("struct xen_compile_info", ["compiler","compile_by","compile_domain","compile_date"], ALL),
 ("xen_extraversion_t", [], ALL),
 ("xen_capabilities_info_t", [], ALL),
 ("xen_changeset_info_t", [], ALL),
 ("xen_commandline_t", [], ALL),
 ("xen_domain_handle_t", [], ALL),
 ("struct xen_platform_parameters", ["virt_start"], ALL),
 ("struct xen_feature_info", ["submap_idx","submap"], ALL),
 ("struct xen_build_id", ["len","buf"], ALL),
 ("struct xen_varbuf", ["len","buf"], ALL),
 ("struct sched_shutdown", ["reason"], ALL),
 ("struct sched_poll", ["ports","nr_ports","timeout"], ALL),
 ("struct sched_remote_shutdown", ["domain_id","reason"], ALL),
 ("struct sched_watchdog", ["id","timeout"], ALL),
 ("struct sched_pin_override", ["pcpu"], ALL),
 ("struct vcpu_time_info", ["version","pad0","tsc_timestamp","system_time","tsc_to_system_mul","tsc_shift","flags","pad1"], ALL),
 ("struct arch_vcpu_info", ["cr2","pad"], [X64, X32]),
 ("struct arch_vcpu_info", [], [A64]),
 ("struct vcpu_info", ["evtchn_upcall_pending","evtchn_upcall_mask","evtchn_pending_sel","arch","time"], [X64, X32]),
 ("struct vcpu_info", ["evtchn_upcall_pending","pad0","evtchn_pending_sel","arch","time"], [A64]),
 ("struct arch_shared_info", ["max_pfn","pfn_to_mfn_frame_list_list","nmi_reason","p2m_cr3","p2m_vaddr","p2m_generation"], [X64]),
 ("struct arch_shared_info", ["max_pfn","pfn_to_mfn_frame_list_list","nmi_reason","p2m_cr3","p2m_vaddr","p2m_generation","wc_sec_hi"], [X32]),
 ("struct arch_shared_info", [], [A64]),
 ("struct shared_info", ["vcpu_info","evtchn_pending","evtchn_mask","wc_version","wc_sec","wc_nsec","wc_sec_hi","arch"], [X64, A64]),
 ("struct shared_info", ["vcpu_info","evtchn_pending","evtchn_mask","wc_version","wc_sec","wc_nsec","arch"], [X32]),
 ("struct start_info", ["magic","nr_pages","shared_info","flags","store_mfn","store_evtchn","console.domU.mfn","console.domU.evtchn","console.dom0.info_off","console.dom0.info_size","pt_base","nr_pt_frames","mfn_list","mod_start","mod_len","cmd_line","first_p2m_pfn","nr_p2m_frames"], [X64, X32]),
 ("struct hvm_start_info", ["magic","version","flags","nr_modules","modlist_paddr","cmdline_paddr","rsdp_paddr","memmap_paddr","memmap_entries","reserved"], [X64, X32]),
 ("struct hvm_modlist_entry", ["paddr","size","cmdline_paddr","reserved"], [X64, X32]),
 ("struct hvm_memmap_table_entry", ["addr","size","type","reserved"], [X64, X32]),
]
TGT = {X64: "x86_64-linux-gnu", X32: "i386-linux-gnu", A64: "aarch64-linux-gnu"}
res = {}
for arch in ALL:
    items = []
    for (t, fs, arches) in S:
        if arch not in arches: continue
        items.append((t, None, f"sizeof({t})"))
        for f in fs:
            items.append((t, f, f"__builtin_offsetof({t}, {f})"))
            items.append((t, f + "#size", "0" if f == "buf" else f"sizeof((({t}*)0)->{f})"))
    src = ["#include <stdint.h>", '#include "xen.h"', '#include "version.h"', '#include "sched.h"']
    if arch != A64: src.append('#include "arch-x86/hvm/start_info.h"')
    src.append("const unsigned long long tab[] = {")
    src += [f"  {e}," for (_, _, e) in items]
    src.append("};")
    c_file = os.path.join(os.environ["WORK"], f"{arch}.c")
    open(c_file, "w").write("\n".join(src))
    asm = subprocess.run(["clang", "-target", TGT[arch], "-ffreestanding", "-D__XEN_INTERFACE_VERSION__=0x00041300", "-S", "-o", "-", "-I" + os.environ["XEN_PUBLIC"], c_file], capture_output=True, text=True)
    if asm.returncode: print(asm.stderr); sys.exit(1)
    vals = [int(m) for m in re.findall(r"^\s*\.(?:quad|xword)\s+(\d+)", asm.stdout, re.M)]
    assert len(vals) == len(items), (arch, len(vals), len(items))
    for (t, f, _), v in zip(items, vals):
        print(arch, t, f or "SIZE", v)
