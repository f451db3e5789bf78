// One policy from the host channel: "XLPL", u32 length, u32 CRC-32 of the payload (little
// endian), the payload (policies/Engine/PolicyLoadCommand.cs writes it). Answers go back as
// one line: "XLPL-ACK <rc>" with FLASK_LOAD's result, or "XLPL-NAK <reason>".
namespace XenLite.Guest
{
    public static unsafe class PolicyFrame
    {
        public const uint MaxSize = 1024 * 1024;
        const ulong TimeoutNs = 20_000_000_000;

        /// <summary>Receives one frame into <paramref name="buffer"/>: its payload length, or null with the reason in <paramref name="why"/>.</summary>
        public static long Receive(byte* buffer, out string why)
        {
            why = null;
            ulong deadline = Clock.Now() + TimeoutNs;
            byte* head = stackalloc byte[12];
            int matched = 0;
            while (matched < 4)   // resynchronise on the magic: bytes before it are line noise
            {
                int b = Next(deadline);
                if (b < 0) { why = "no policy arrived within 20 s"; return -1; }
                byte want = (byte)"XLPL"[matched];
                matched = b == want ? matched + 1 : (b == (byte)'X' ? 1 : 0);
            }
            for (int i = 4; i < 12; i++)
            {
                int b = Next(deadline);
                if (b < 0) { why = "the frame header was cut short"; return -1; }
                head[i] = (byte)b;
            }
            uint size = *(uint*)(head + 4), crc = *(uint*)(head + 8);
            if (size > MaxSize) { why = "too-large"; return -1; }
            for (uint i = 0; i < size; i++)
            {
                int b = Next(deadline);
                if (b < 0) { why = "the payload was cut short"; return -1; }
                buffer[i] = (byte)b;
            }
            if (Crc32(buffer, size) != crc) { why = "bad-crc"; return -1; }
            return size;
        }

        public static void Answer(string word, long rc, string reason)
        {
            Put("XLPL-");
            Put(word);
            HostLine.Write((byte)' ');
            if ((object)reason != null) Put(reason);
            else
            {
                if (rc < 0) { HostLine.Write((byte)'-'); rc = -rc; }
                byte* d = stackalloc byte[20];
                int n = 0;
                do { d[n++] = (byte)('0' + rc % 10); rc /= 10; } while (rc != 0);
                while (n > 0) HostLine.Write(d[--n]);
            }
            HostLine.Write((byte)'\n');
        }

        static void Put(string s)
        {
            for (int i = 0; i < s.Length; i++) HostLine.Write((byte)s[i]);
        }

        static int Next(ulong deadline)
        {
            uint polls = 0;
            while (!HostLine.HasByte())
                if (++polls % 1024 == 0 && Clock.Now() > deadline) return -1;
            return HostLine.Read();
        }

        static uint Crc32(byte* p, uint n)
        {
            uint crc = 0xFFFFFFFF;
            for (uint i = 0; i < n; i++)
            {
                crc ^= p[i];
                for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320 & (0u - (crc & 1)));
            }
            return ~crc;
        }
    }
}
