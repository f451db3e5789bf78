// The agent's arm64 helpers: where the embedded ping-pong Image lies (build.sh
// generates the .incbin as agent_domu_start/agent_domu_end), and a data-cache
// clean to the point of coherency, so the new domain, which starts with its MMU
// and caches off, reads what we wrote through our cacheable mapping.
    .section .text.agent, "ax"

    .globl agent_domu_image, agent_domu_size, agent_dcache_clean
    .p2align 2
agent_domu_image:
    adrp    x0, agent_domu_start
    add     x0, x0, :lo12:agent_domu_start
    ret
agent_domu_size:
    adrp    x0, agent_domu_start
    add     x0, x0, :lo12:agent_domu_start
    adrp    x1, agent_domu_end
    add     x1, x1, :lo12:agent_domu_end
    sub     x0, x1, x0
    ret
// agent_dcache_clean(start, length): DC CVAC per 64-byte line.
agent_dcache_clean:
    add     x1, x0, x1
    bic     x0, x0, #63
1:  cmp     x0, x1
    b.hs    2f
    dc      cvac, x0
    add     x0, x0, #64
    b       1b
2:  dsb     sy
    ret
