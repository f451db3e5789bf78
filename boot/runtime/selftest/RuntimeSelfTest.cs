// Exercises every C# feature the freestanding runtime promises hv/ (see
// boot/README.md). Built into the demo image (`xenlite.selftest=runtime`) and
// used as the sample for `build-image.sh check-hv`. Platform-neutral: results
// go to a report function pointer, so this also tests delegate*.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XenLite.Runtime;

namespace XenLite.SelfTest
{
    public static unsafe class RuntimeSelfTest
    {
        static delegate*<string, bool, void> s_report;
        static int s_failures;

        static void Check(string name, bool ok)
        {
            if (!ok) s_failures++;
            s_report(name, ok);
        }

        public static int Run(delegate*<string, bool, void> report)
        {
            s_report = report;
            s_failures = 0;
            Allocation();
            Statics();
            Virtuals();
            Arrays();
            Spans();
            Strings();
            FunctionPointers();
            Structs();
            Generics();
            Control();
            return s_failures;
        }

        // --- allocation -------------------------------------------------------
        sealed class Node { public int Value; public Node Next; }

        static void Allocation()
        {
            var a = new Node { Value = 1 };
            var b = new Node { Value = 2, Next = a };
            Check("alloc.object", b.Next.Value == 1 && a.Next == null);

            nuint before = Allocator.BytesInUse;
            var c = new Node();
            void* addressC = *(void**)&c;
            ObjectAlloc.Free(c);
            var d = new Node();
            Check("alloc.free-reuse", *(void**)&d == addressC && d.Value == 0 && Allocator.BytesInUse > before - 1);
            ObjectAlloc.Free(d);

            byte* raw = (byte*)Allocator.Alloc(100);
            bool zeroed = true;
            for (int i = 0; i < 100; i++) if (raw[i] != 0) zeroed = false;
            Check("alloc.raw-zeroed-aligned", zeroed && ((nuint)raw & 15) == 0);
            Allocator.Free(raw, 100);

            byte* page = (byte*)Allocator.AllocPages(2);
            Check("alloc.pages-aligned", ((nuint)page & 4095) == 0 && page[8191] == 0);
            Allocator.FreePages(page, 2);
        }

        // --- statics and class constructors -----------------------------------
        static class Config
        {
            // Not preinitializable (reads a value at run time): a real cctor.
            public static readonly Node Root = MakeRoot();
            public static int CctorRuns;
            static Node MakeRoot() { CctorRuns++; return new Node { Value = (int)(Allocator.HeapStart & 1) + 41 }; }
        }

        [EagerStaticClassConstruction]
        static class Eager
        {
            public static readonly int[] Table = MakeTable();
            static int[] MakeTable() { var t = new int[3]; t[2] = (int)(Allocator.HeapEnd >> 63) + 7; return t; }
        }

        static readonly string s_greeting = "hello";
        static readonly int[] s_primes = { 2, 3, 5, 7, 11 };
        static int s_counter = 5;

        static void Statics()
        {
            Check("statics.lazy-cctor", Config.Root.Value >= 41 && Config.Root.Value <= 42 && Config.CctorRuns == 1);
            Check("statics.eager-cctor", Eager.Table[2] == 7);
            Check("statics.preinit", s_greeting.Length == 5 && s_primes[4] == 11 && s_primes.Length == 5);
            s_counter += 2;
            Check("statics.mutable", s_counter == 7);
        }

        // --- classes and virtual calls ----------------------------------------
        abstract class Shape
        {
            public int Id;
            public abstract int Area();
            public virtual int Sides() => 0;
            public int Describe() => Area() * 10 + Sides();
        }

        class Square : Shape
        {
            public int Side;
            public Square(int side) { Side = side; Id = 1; }
            public override int Area() => Side * Side;
            public override int Sides() => 4;
        }

        sealed class Cube : Square
        {
            public Cube(int side) : base(side) { Id = 2; }
            public override int Area() => 6 * base.Area();
        }

        static void Virtuals()
        {
            Shape s = new Square(3), c = new Cube(2);
            Check("virtual.override", s.Area() == 9 && c.Area() == 24);
            Check("virtual.base-call", c.Sides() == 4 && c.Describe() == 244);
            Check("cast.is-as", c is Square && !(s is Cube) && (s as Cube) == null && ((Square)c).Side == 2);
        }

        // --- arrays -------------------------------------------------------------
        struct Pair { public int A; public long B; }

        static void Arrays()
        {
            var ints = new int[10];
            for (int i = 0; i < ints.Length; i++) ints[i] = i * i;
            Check("array.int", ints[9] == 81 && ints.Length == 10);

            var pairs = new Pair[4];
            pairs[3].A = 5; pairs[3].B = 1L << 40;
            Check("array.struct", pairs[3].B == 1L << 40 && pairs[0].A == 0);

            var shapes = new Shape[2];
            shapes[0] = new Square(2);
            shapes[1] = new Cube(1);
            Check("array.object", shapes[0].Area() == 4 && shapes[1].Area() == 6);

            var bytes = new byte[] { 1, 2, 3, 250 };
            Check("array.initializer", bytes[3] == 250 && bytes.Length == 4);
        }

        // --- spans --------------------------------------------------------------
        static int Sum(ReadOnlySpan<byte> s)
        {
            int total = 0;
            for (int i = 0; i < s.Length; i++) total += s[i];
            return total;
        }

        static void Spans()
        {
            nuint before = Allocator.BytesInUse;
            ReadOnlySpan<byte> lit = "Xen"u8;   // must point into the image, not allocate
            Check("span.u8-literal", lit.Length == 3 && lit[0] == (byte)'X' && lit[2] == (byte)'n' && Allocator.BytesInUse == before);

            Span<byte> buf = stackalloc byte[16];
            buf.Fill(7);
            buf.Slice(4, 4).Clear();
            Check("span.stackalloc-slice", Sum(buf) == 12 * 7 && buf[5] == 0);

            byte* raw = stackalloc byte[8];
            var fromPointer = new Span<byte>(raw, 8);
            lit.CopyTo(fromPointer.Slice(2));
            Check("span.pointer-copyto", raw[2] == (byte)'X' && raw[4] == (byte)'n');

            var arr = new uint[] { 1, 2, 3, 4 };
            Span<uint> view = arr;
            view.Slice(1)[0] = 20;
            Check("span.array", arr[1] == 20 && view.Length == 4);

            uint total = 0;
            foreach (uint v in view) total += v;
            foreach (ref uint v in view) v = 0;
            Check("span.foreach", total == 28 && arr[3] == 0);
        }

        // --- strings ------------------------------------------------------------
        static int Classify(string s)
        {
            switch (s)
            {
                case "pv": return 1;
                case "hvm": return 2;
                case "pvh": return 3;
                default: return 0;
            }
        }

        static void Strings()
        {
            string s = "XenLite";
            Check("string.length-index", s.Length == 7 && s[0] == 'X' && s[6] == 'e');
            Check("string.equality", s == "XenLite" && s != "Xen" && Classify("hvm") == 2 && Classify("arm") == 0);
            fixed (char* p = s) Check("string.fixed", p[3] == 'L');
            ReadOnlySpan<char> chars = s;
            Check("string.as-span", chars.Slice(3).Length == 4 && chars[3] == 'L' && "Xen"u8.SequenceEqual("Xen"u8));
            Check("string.nameof", nameof(Strings) == "Strings");
            object boxed = s;
            Check("string.object-virtuals", boxed.Equals("XenLite") && s.GetHashCode() == "XenLite".GetHashCode() && boxed.ToString() == s);
        }

        // --- function pointers ----------------------------------------------------
        static long Add(long a, long b) => a + b;
        static long Mul(long a, long b) => a * b;

        static readonly delegate*<long, long, long>[] s_ops = { &Add, &Mul };

        static void FunctionPointers()
        {
            delegate*<long, long, long> f = &Mul;
            Check("fnptr.call", f(6, 7) == 42);
            Check("fnptr.table", s_ops[0](2, 3) == 5 && s_ops[1](2, 3) == 6);
        }

        // --- structs, layout, fixed buffers -------------------------------------
        [StructLayout(LayoutKind.Explicit, Size = 16)]
        struct Overlay
        {
            [FieldOffset(0)] public ulong Whole;
            [FieldOffset(0)] public uint Low;
            [FieldOffset(4)] public uint High;
            [FieldOffset(8)] public fixed byte Tail[8];
        }

        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        struct Packed { public byte Tag; public uint Value; }

        static void Structs()
        {
            Overlay o = default;
            o.Whole = 0x1122334455667788;
            o.Tail[7] = 9;
            Check("struct.explicit-layout", o.Low == 0x55667788 && o.High == 0x11223344 && o.Tail[7] == 9);
            Check("struct.sizeof", sizeof(Overlay) == 16 && sizeof(Packed) == 5);
        }

        // --- generic methods over unmanaged types, typed addresses -------------
        readonly struct Gpa
        {
            public readonly ulong Value;
            public Gpa(ulong value) { Value = value; }
            public static explicit operator ulong(Gpa g) => g.Value;
            public static Gpa operator +(Gpa g, ulong offset) => new Gpa(g.Value + offset);
            public static bool operator ==(Gpa a, Gpa b) => a.Value == b.Value;
            public static bool operator !=(Gpa a, Gpa b) => a.Value != b.Value;
            public override bool Equals(object o) => false;
            public override int GetHashCode() => (int)Value;
        }

        static T ReadAs<T>(byte* p, out int size) where T : unmanaged
        {
            size = sizeof(T);
            return *(T*)p;
        }

        static void Swap<T>(ref T a, ref T b) { T t = a; a = b; b = t; }

        sealed class Settings { public int Level { get; init; } public string Name { get; set; } }

        static void Generics()
        {
            ulong raw = 0x0102030405060708;
            uint low = ReadAs<uint>((byte*)&raw, out int size);
            Pair pr = ReadAs<Pair>((byte*)&raw, out int pairSize);
            Check("generic.unmanaged", low == 0x05060708 && size == 4 && pairSize == 16 && pr.A == 0x05060708);
            int x = 1, y = 2;
            Swap(ref x, ref y);
            var g = new Gpa(0x1000) + 0x20;
            Check("generic.ref-swap-struct-ops", x == 2 && y == 1 && (ulong)g == 0x1020 && g == new Gpa(0x1020));
            var st = new Settings { Level = 3, Name = "dom0" };
            Check("object.init-properties", st.Level == 3 && st.Name == "dom0");
        }

        // --- control flow and arithmetic --------------------------------------
        enum Mode : byte { Pv = 1, Hvm = 2, Pvh = 3 }

        static int ModeWeight(Mode m)
        {
            switch (m)
            {
                case Mode.Pv: return 10;
                case Mode.Hvm: return 20;
                default: return 30;
            }
        }

        const ulong Big = 0xFFFF_0000_0000_0000;

        static void Control()
        {
            Check("enum.switch", ModeWeight(Mode.Hvm) == 20 && ModeWeight(Mode.Pvh) == 30 && (int)Mode.Pv == 1);
            ulong x = Big >> 48;
            long y = -17;
            Check("math.64bit", x == 0xFFFF && y / 5 == -3 && y % 5 == -2 && (ulong)Big / 3 == 0x5555_0000_0000_0000);
        }
    }
}
