// First pass over the device tree, before the heap exists (no allocation):
// RAM, everything that must not become heap (reservation map,
// /reserved-memory, the initrd, dom0less modules), the devices the EL2 map
// needs (UART, GIC) and the PSCI conduit for power-off.
namespace XenLite.Boot
{
    public unsafe struct EarlyInfo
    {
        public const int Max = 32;
        public fixed ulong MemBase[Max], MemSize[Max];
        public int MemCount;
        public fixed ulong ResBase[Max], ResSize[Max];
        public int ResCount;
        public fixed ulong DevBase[Max], DevSize[Max];
        public int DevCount;
        public ulong UartBase;
        public bool PsciHvc;
        public bool Truncated;            // more ranges than fit: some were dropped

        public void AddMemory(ulong b, ulong s) { if (MemCount < Max) { MemBase[MemCount] = b; MemSize[MemCount++] = s; } else Truncated = true; }
        public void AddReserved(ulong b, ulong s) { if (ResCount < Max) { ResBase[ResCount] = b; ResSize[ResCount++] = s; } else Truncated = true; }
        public void AddDevice(ulong b, ulong s) { if (DevCount < Max) { DevBase[DevCount] = b; DevSize[DevCount++] = s; } else Truncated = true; }
    }

    public static unsafe class EarlyScan
    {
        // Fills `info`; returns null, or why the tree is unusable.
        public static string Run(Fdt* fdt, EarlyInfo* info)
        {
            for (int i = 0; fdt->Reservation(i, out ulong rb, out ulong rs); i++) info->AddReserved(rb, rs);

            DtNode* stack = stackalloc DtNode[Fdt.MaxDepth];
            uint offset = 0;
            int depth = 0;
            bool pending = false, sawMemory = false;
            int status;
            string error;
            DtNode* n;
            while ((status = fdt->Next(ref offset, ref depth, stack, ref pending, out n, out error)) == 1)
            {
                if (n->Depth == 2 && (Fdt.NameIs(n, "memory"u8) || fdt->ListContains(n, "device_type"u8, "memory"u8)))
                {
                    for (int i = 0; fdt->Reg(n, i, out ulong b, out ulong s); i++)
                        if (s != 0) { info->AddMemory(b, s); sawMemory = true; }
                }
                else if (fdt->IsCompatible(n, "arm,pl011"u8))
                {
                    if (info->UartBase == 0 && fdt->Reg(n, 0, out ulong b, out ulong s)) { info->UartBase = b; info->AddDevice(b, s); }
                }
                else if (Gic.IsGicNode(fdt, n))
                {
                    for (int i = 0; fdt->Reg(n, i, out ulong b, out ulong s); i++) info->AddDevice(b, s);
                }
                else if (n->Depth == 2 && (Fdt.NameIs(n, "psci"u8) || fdt->CompatibleStarts(n, "arm,psci"u8)))
                {
                    info->PsciHvc = fdt->ListContains(n, "method"u8, "hvc"u8);
                }
                else if (n->Depth == 2 && Fdt.NameIs(n, "chosen"u8))
                {
                    if (fdt->Integer(n, "linux,initrd-start"u8, out ulong start) && fdt->Integer(n, "linux,initrd-end"u8, out ulong end) && end > start)
                        info->AddReserved(start, end - start);
                }
                else if (n->Depth >= 3 && Fdt.NameIs(stack + 1, "chosen"u8) && fdt->CompatibleStarts(n, "multiboot,"u8))
                {
                    for (int i = 0; fdt->Reg(n, i, out ulong b, out ulong s); i++) info->AddReserved(b, s);
                }
                else if (n->Depth == 3 && Fdt.NameIs(stack + 1, "reserved-memory"u8))
                {
                    for (int i = 0; fdt->Reg(n, i, out ulong b, out ulong s); i++) info->AddReserved(b, s);
                }
            }
            if (status < 0) return error;
            if (!sawMemory) return "no /memory node with a usable reg";
            return null;
        }

        // The largest stretch of RAM that overlaps no reserved range, the
        // image or the DTB. False if there is none.
        public static bool LargestFree(EarlyInfo* info, ulong dtb, ulong dtbSize, out ulong heapStart, out ulong heapEnd)
        {
            heapStart = heapEnd = 0;
            ulong image = (ulong)Image.Start(), imageEnd = (ulong)Image.End();
            for (int m = 0; m < info->MemCount; m++)
            {
                ulong mb = info->MemBase[m], me = mb + info->MemSize[m];
                // Candidate starts: the range start and the end of every reservation.
                for (int c = -3; c < info->ResCount; c++)
                {
                    ulong s = c == -3 ? mb : c == -2 ? imageEnd : c == -1 ? dtb + dtbSize : info->ResBase[c] + info->ResSize[c];
                    s = (s + 4095) & ~4095UL;
                    if (s < mb || s >= me) continue;
                    ulong e = me;
                    if (!Clip(s, ref e, image, imageEnd) || !Clip(s, ref e, dtb, dtb + dtbSize)) continue;
                    bool ok = true;
                    for (int r = 0; r < info->ResCount && ok; r++)
                        ok = Clip(s, ref e, info->ResBase[r], info->ResBase[r] + info->ResSize[r]);
                    if (ok && e - s > heapEnd - heapStart) { heapStart = s; heapEnd = e; }
                }
            }
            return heapEnd > heapStart;
        }

        // Shortens [s, e) so it stops before [rb, re); false if s lies inside it.
        static bool Clip(ulong s, ref ulong e, ulong rb, ulong re)
        {
            if (re <= rb) return true;
            if (s >= rb && s < re) return false;
            if (rb > s && rb < e) e = rb;
            return true;
        }
    }
}
