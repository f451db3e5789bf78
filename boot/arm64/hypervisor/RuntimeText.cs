// A string made at run time from loader bytes (the command line for
// XENVER_commandline). The runtime only has literals, so the object is laid out
// here exactly as ILC lays out a frozen one: header word, MethodTable pointer
// (taken from a literal), _stringLength, UTF-16 chars, a terminating NUL.
using XenLite.Runtime;

namespace XenLite.Image
{
    public static unsafe class RuntimeText
    {
        public static string FromBytes(System.ReadOnlySpan<byte> bytes)
        {
            string literal = "";
            nint methodTable;
            fixed (char* first = literal) methodTable = *(nint*)((byte*)first - 12);
            int n = bytes.Length;
            byte* block = (byte*)Allocator.Alloc((nuint)(8 + 8 + 4 + 2 * (n + 1)));
            byte* obj = block + 8;
            *(nint*)obj = methodTable;
            *(int*)(obj + 8) = n;
            char* chars = (char*)(obj + 12);
            for (int i = 0; i < n; i++) chars[i] = (char)bytes[i];
            chars[n] = '\0';
            return *(string*)&obj;
        }
    }
}
