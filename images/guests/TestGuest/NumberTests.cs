// Hypercall numbers an HVM or arm guest cannot use: unassigned numbers, numbers
// past the table, and PV-only hypercalls ("-" in the hvm32/hvm64 and arm
// columns of xen/include/hypercall-defs.c; sched_op_compat is "dep" on arm,
// which is -ENOSYS too). Each must return -ENOSYS.
// (iret, 23, is left out: Xen leaves its slot of the x86 hypercall page empty.)
namespace XenLite.Guest
{
    public struct NumberTest
    {
        public string Name;
        public ulong Number;

        public NumberTest(string name, ulong number) { Name = name; Number = number; }
    }

    public static unsafe class NumberTests
    {
        public static readonly NumberTest[] List =
        {
            new NumberTest("enosys.unassigned_11", 11),
            new NumberTest("enosys.unassigned_43", 43),
            new NumberTest("enosys.unassigned_47", 47),
            new NumberTest("enosys.unassigned_56", 56),
            new NumberTest("enosys.unassigned_63", 63),
            new NumberTest("enosys.past_table_100", 100),
            new NumberTest("enosys.tmem_op_38", Hc.TmemOp),
            new NumberTest("enosys.pv_only_set_trap_table_0", Hc.SetTrapTable),
            new NumberTest("enosys.pv_only_mmu_update_1", Hc.MmuUpdate),
            new NumberTest("enosys.pv_only_set_gdt_2", Hc.SetGdt),
            new NumberTest("enosys.pv_only_stack_switch_3", Hc.StackSwitch),
            new NumberTest("enosys.pv_only_set_callbacks_4", Hc.SetCallbacks),
            new NumberTest("enosys.pv_only_fpu_taskswitch_5", Hc.FpuTaskswitch),
            new NumberTest("enosys.pv_only_sched_op_compat_6", Hc.SchedOpCompat),
            new NumberTest("enosys.pv_only_update_descriptor_10", Hc.UpdateDescriptor),
            new NumberTest("enosys.pv_only_update_va_mapping_14", Hc.UpdateVaMapping),
            new NumberTest("enosys.pv_only_set_segment_base_25", Hc.SetSegmentBase),
            new NumberTest("enosys.pv_only_callback_op_30", Hc.CallbackOp),
            new NumberTest("enosys.pv_only_mca_48", Hc.Mca),
        };

        public static void Run(NumberTest[] tests, delegate*<ulong, long> call)
        {
            for (int i = 0; i < tests.Length; i++)
            {
                Expect.Reset();
                Suite.Report(tests[i].Name, Expect.Equal(call(tests[i].Number), -Errno.ENOSYS, "rc"));
            }
        }

        public static long Native(ulong nr) => Xen.Call(nr);
    }
}
