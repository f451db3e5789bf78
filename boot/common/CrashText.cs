// The parts of a crash report both architectures print the same way: register
// columns, the runtime-panic banner and the return trail. Each arch supplies its
// console (a byte sink) and which addresses are on a stack it trusts.
namespace XenLite.Boot
{
    public static unsafe class CrashText
    {
        // `name`, padded to `width` columns, then the value in hex.
        public static void Register(delegate*<byte, void> put, string name, int width, ulong value)
        {
            ByteFormat.Text(put, name);
            for (int i = name.Length; i < width; i++) put((byte)' ');
            ByteFormat.Hex(put, value, 16);
            ByteFormat.Text(put, "  ");
        }

        // The first lines of a runtime panic (XenLite.Runtime.Panic.Fail).
        public static void PanicBanner(delegate*<byte, void> put, char* message, int length, char* detail, int detailLength)
        {
            ByteFormat.Line(put);
            ByteFormat.Text(put, "*** XenLite panic: ");
            ByteFormat.Text(put, message, length);
            if (detailLength > 0) { ByteFormat.Text(put, ": "); ByteFormat.Text(put, detail, detailLength); }
            ByteFormat.Text(put, " ***");
            ByteFormat.Line(put);
        }

        // Return addresses found by following frame records {previous frame,
        // return address} from `fp` (saved RBP on x86_64, x29/x30 on arm64), after
        // `pc` when it is not 0. Only aligned records `onStack` accepts are read,
        // so a corrupt chain ends the walk instead of faulting.
        public static void Trail(delegate*<byte, void> put, ulong pc, ulong fp, delegate*<ulong, bool> onStack)
        {
            ByteFormat.Text(put, "trail (innermost first):");
            ByteFormat.Line(put);
            int n = 0;
            if (pc != 0) Frame(put, n++, pc);
            while (n < 32 && onStack(fp) && (fp & 7) == 0)
            {
                ulong ret = ((ulong*)fp)[1];
                if (ret == 0) break;
                Frame(put, n++, ret);
                ulong next = ((ulong*)fp)[0];
                if (next <= fp) break;
                fp = next;
            }
        }

        static void Frame(delegate*<byte, void> put, int n, ulong address)
        {
            ByteFormat.Text(put, "  #");
            ByteFormat.Dec(put, (ulong)n);
            ByteFormat.Text(put, n < 10 ? "  " : " ");
            ByteFormat.Hex(put, address, 16);
            ByteFormat.Line(put);
        }
    }
}
